package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.reward.persistence.RewardProfile;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Puts the contact in a loyalty tier (a contact is in one tier at a time). */
@ApplicationScoped
public class LoyaltyAddToTierAction implements ActionHandler {
    @Override
    public String action() {
        return "LoyaltyAddToTier";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        String tier = ConfigValues.string(command.config(), "tier");
        return RewardProfile.forUpdate(command.workspaceId(), command.contact().id()).map(p -> {
            String previous = p.tier;
            p.tier = tier;
            p.updatedAt = Instant.now();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("tier", tier);
            out.put("previous_tier", previous);
            return ActionOutcome.success(out);
        });
    }
}
