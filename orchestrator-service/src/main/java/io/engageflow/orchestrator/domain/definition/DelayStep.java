package io.engageflow.orchestrator.domain.definition;

import java.util.function.Consumer;

/** A durable timer: waits {@code duration} (ISO-8601, e.g. PT24H) or until an instant (which may be a template). */
public record DelayStep(String id, String name, String duration, String until) implements Step {
    @Override
    public String action() {
        return FLOW_DELAY;
    }

    @Override
    public void match(Consumer<ActionStep> action, Consumer<DecisionStep> decision, Consumer<DelayStep> delay,
                      Consumer<SplitStep> split) {
        delay.accept(this);
    }
}
