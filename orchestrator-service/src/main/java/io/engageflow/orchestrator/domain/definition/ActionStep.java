package io.engageflow.orchestrator.domain.definition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A catalog action run by its action service. {@code timeout} is how long the orchestrator waits for the result
 * before the step takes Failure with error code Timeout; null means the engine's default.
 */
public record ActionStep(String id, String name, String action, Map<String, Object> config,
                         Map<String, List<Step>> paths, Duration timeout) implements Step {
    @Override
    public void match(Consumer<ActionStep> action, Consumer<DecisionStep> decision, Consumer<DelayStep> delay,
                      Consumer<SplitStep> split) {
        action.accept(this);
    }
}
