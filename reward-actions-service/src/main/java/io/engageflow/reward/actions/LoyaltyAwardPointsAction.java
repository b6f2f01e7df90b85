package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.reward.domain.RewardConfig;
import io.engageflow.reward.domain.RewardProfile;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/** Adds points to the contact's balance; fires Loyalty.PointsAwarded. */
@ApplicationScoped
public class LoyaltyAwardPointsAction implements LocalAction {
    private final ProfileChanges changes;

    public LoyaltyAwardPointsAction(ProfileChanges changes) {
        this.changes = changes;
    }

    @Override
    public String action() {
        return "LoyaltyAwardPoints";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        return changes.apply(command, tx, RewardConfig.wholeAboveZero(command.config(), "points"),
                RewardProfile::awardPoints, RewardEvents.pointsAwarded(command));
    }
}
