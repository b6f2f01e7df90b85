package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.ConfigValues;
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

/** Records a gameplay score for the contact. */
@ApplicationScoped
public class AssignGameplayScoreAction implements ActionHandler {
    @Override
    public String action() {
        return "AssignGameplayScore";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        var score = ConfigValues.number(command.config(), "score").orElse(null);
        if (score == null) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG,
                    "score must be a number, got " + command.config().get("score")));
        }
        String context = ConfigValues.string(command.config(), "context");
        return RewardProfile.forUpdate(command.workspaceId(), command.contact().id()).map(p -> {
            List<Map<String, Object>> scores = new ArrayList<>(p.scores());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("score", score);
            entry.put("context", context);
            entry.put("at", Instant.now().toString());
            scores.add(entry);
            p.scores(scores);
            p.updatedAt = Instant.now();
            return ActionOutcome.success(Map.of("score", score));
        });
    }
}
