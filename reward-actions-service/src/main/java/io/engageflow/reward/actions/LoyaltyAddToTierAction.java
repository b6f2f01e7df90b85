package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.reward.domain.RewardConfig;
import io.engageflow.reward.domain.RewardProfile;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/** Puts the contact in a loyalty tier (a contact is in one tier at a time); a new tier fires Loyalty.TierChanged. */
@ApplicationScoped
public class LoyaltyAddToTierAction implements LocalAction {
    private final ProfileChanges changes;

    public LoyaltyAddToTierAction(ProfileChanges changes) {
        this.changes = changes;
    }

    @Override
    public String action() {
        return "LoyaltyAddToTier";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        return changes.apply(command, tx, RewardConfig.text(command.config(), "tier"),
                RewardProfile::addToTier, RewardEvents.TIER_CHANGED);
    }
}
