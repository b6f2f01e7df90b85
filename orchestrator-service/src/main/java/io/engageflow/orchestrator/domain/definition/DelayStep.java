package io.engageflow.orchestrator.domain.definition;

/** A durable timer: waits {@code duration} (ISO-8601, e.g. PT24H) or until an instant (which may be a template). */
public record DelayStep(String id, String name, String duration, String until) implements Step {
    @Override
    public String action() {
        return FLOW_DELAY;
    }
}
