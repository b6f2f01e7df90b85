package io.engageflow.orchestrator.domain.instance;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a step is. A completed step has taken an output path (Failure included); failed means the engine could not
 * run it at all (e.g. a template it could not resolve); cancelled steps stopped with their instance.
 */
public enum StepStatus {
    RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean terminal() {
        return this != RUNNING;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }
}
