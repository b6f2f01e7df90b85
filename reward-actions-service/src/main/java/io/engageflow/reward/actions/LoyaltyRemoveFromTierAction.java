package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.reward.domain.RewardConfig;
import io.engageflow.reward.domain.RewardProfile;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/** Takes the contact out of the tier if it is in it (fires Loyalty.TierChanged to none); not in it is still Success. */
@ApplicationScoped
public class LoyaltyRemoveFromTierAction implements LocalAction {
    private final ProfileChanges changes;

    public LoyaltyRemoveFromTierAction(ProfileChanges changes) {
        this.changes = changes;
    }

    @Override
    public String action() {
        return "LoyaltyRemoveFromTier";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        return changes.apply(command, tx, RewardConfig.text(command.config(), "tier"),
                RewardProfile::removeFromTier, RewardEvents.TIER_CHANGED);
    }
}
