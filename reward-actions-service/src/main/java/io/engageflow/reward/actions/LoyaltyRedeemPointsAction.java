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

/** Takes points from the balance; a balance too small takes InsufficientPoints and is left as it is. */
@ApplicationScoped
public class LoyaltyRedeemPointsAction implements ActionHandler {
    @Override
    public String action() {
        return "LoyaltyRedeemPoints";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        Long points = ConfigValues.wholeNumber(command.config(), "points").orElse(null);
        if (points == null || points <= 0) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG,
                    "points must be a whole number above 0, got " + command.config().get("points")));
        }
        return RewardProfile.forUpdate(command.workspaceId(), command.contact().id()).map(p -> {
            if (p.points < points) {
                return ActionOutcome.path(OutputPaths.INSUFFICIENT_POINTS,
                        Map.of("total_points", p.points, "points_requested", points));
            }
            p.points -= points;
            p.updatedAt = Instant.now();
            return ActionOutcome.success(Map.of("points_redeemed", points, "total_points", p.points));
        });
    }
}
