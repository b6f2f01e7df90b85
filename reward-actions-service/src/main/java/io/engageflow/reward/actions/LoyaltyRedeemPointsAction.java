package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.OutputPaths;
import io.engageflow.reward.domain.ProfileChange;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/** Takes points from the balance; a balance too small takes InsufficientPoints and is left as it is. */
@ApplicationScoped
public class LoyaltyRedeemPointsAction implements ActionHandler {
    @Override
    public String action() {
        return "LoyaltyRedeemPoints";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        return ProfileChange.byAmount(command, "points", (p, points) -> {
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
