package io.engageflow.orchestrator.domain.instance;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where an instance, or one step of it, is (lower case on the wire and in stored state). Only running is not terminal.
 * A completed instance ran to its end; a completed step has taken an output path (Failure included). Failed means the
 * engine could not run a step at all (e.g. a template it could not resolve), and the instance with it; cancelled steps
 * stopped with their instance.
 */
public enum RunStatus {
    RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean terminal() {
        return this != RUNNING;
    }

    /** Ran to its end: the instance reached the end of its steps, or the step took an output path. */
    public boolean successful() {
        return this == COMPLETED;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }

    public static RunStatus of(String s) {
        return valueOf(s.toUpperCase());
    }
}
