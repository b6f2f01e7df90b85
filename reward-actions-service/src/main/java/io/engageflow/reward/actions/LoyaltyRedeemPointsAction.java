package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.reward.domain.RewardConfig;
import io.engageflow.reward.domain.RewardProfile;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Takes points from the balance (fires Loyalty.PointsRedeemed); a balance too small takes InsufficientPoints and is
 * left as it is.
 */
@ApplicationScoped
public class LoyaltyRedeemPointsAction implements LocalAction {
    private final ProfileChanges changes;

    public LoyaltyRedeemPointsAction(ProfileChanges changes) {
        this.changes = changes;
    }

    @Override
    public String action() {
        return "LoyaltyRedeemPoints";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        return changes.apply(command, tx, RewardConfig.wholeAboveZero(command.config(), "points"),
                RewardProfile::redeemPoints, RewardEvents.pointsRedeemed(command));
    }
}
