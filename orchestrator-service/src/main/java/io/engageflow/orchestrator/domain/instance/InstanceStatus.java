package io.engageflow.orchestrator.domain.instance;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an instance is. Only running is not terminal. */
public enum InstanceStatus {
    RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean terminal() {
        return this != RUNNING;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }

    public static InstanceStatus of(String s) {
        return valueOf(s.toUpperCase());
    }
}
