package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.reward.persistence.RewardProfile;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Awards an achievement badge; a badge the contact already has is kept once. */
@ApplicationScoped
public class AssignContactAchievementAction implements ActionHandler {
    @Override
    public String action() {
        return "AssignContactAchievement";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        String achievement = ConfigValues.string(command.config(), "achievement");
        return RewardProfile.forUpdate(command.workspaceId(), command.contact().id()).map(p -> {
            List<String> all = new ArrayList<>(p.achievements());
            boolean added = !all.contains(achievement);
            if (added) {
                all.add(achievement);
                p.achievements(all);
                p.updatedAt = Instant.now();
            }
            return ActionOutcome.success(Map.of("achievement", achievement, "added", added));
        });
    }
}
