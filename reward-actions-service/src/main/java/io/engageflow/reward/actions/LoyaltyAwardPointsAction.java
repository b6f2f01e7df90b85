package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.reward.domain.ProfileChange;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/** Adds points to the contact's balance. */
@ApplicationScoped
public class LoyaltyAwardPointsAction implements ActionHandler {
    @Override
    public String action() {
        return "LoyaltyAwardPoints";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        return ProfileChange.byAmount(command, "points", (p, points) -> {
            p.points = Math.addExact(p.points, points);
            p.updatedAt = Instant.now();
            return ActionOutcome.success(Map.of("points_awarded", points, "total_points", p.points));
        });
    }
}
