package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.reward.persistence.RewardProfile;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/** Takes the contact out of the tier if it is in it; not in it is still Success. */
@ApplicationScoped
public class LoyaltyRemoveFromTierAction implements ActionHandler {
    @Override
    public String action() {
        return "LoyaltyRemoveFromTier";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        String tier = ConfigValues.string(command.config(), "tier");
        return RewardProfile.forUpdate(command.workspaceId(), command.contact().id()).map(p -> {
            boolean removed = tier.equals(p.tier);
            if (removed) {
                p.tier = null;
                p.updatedAt = Instant.now();
            }
            return ActionOutcome.success(Map.of("removed", removed));
        });
    }
}
