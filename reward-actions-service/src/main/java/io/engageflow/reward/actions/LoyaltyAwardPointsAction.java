package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.contracts.catalog.OutputPaths;
import io.engageflow.reward.persistence.RewardProfile;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Adds points to the contact's balance. */
@ApplicationScoped
public class LoyaltyAwardPointsAction implements ActionHandler {
    @Override
    public String action() {
        return "LoyaltyAwardPoints";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        Long points = ConfigValues.wholeNumber(command.config(), "points").orElse(null);
        if (points == null || points <= 0) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG,
                    "points must be a whole number above 0, got " + command.config().get("points")));
        }
        return RewardProfile.forUpdate(command.workspaceId(), command.contact().id()).map(p -> {
            p.points = Math.addExact(p.points, points);
            p.updatedAt = Instant.now();
            return ActionOutcome.success(Map.of("points_awarded", points, "total_points", p.points));
        });
    }
}
