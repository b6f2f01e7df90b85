package io.engageflow.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/** Orchestrator → anyone on {@code workflow.events}: what happened to an instance. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkflowEvent(String eventId, Type type, String workspaceId, String instanceId, String workflowId,
                            Integer version, String contactId, String stepId, String action, String path,
                            Map<String, Object> outputs, String status, Instant occurredAt) {
    public enum Type { InstanceStarted, StepCompleted, InstanceEnded }

    /** The same event without the step's outputs (for outputs too large to publish; the instance view has them). */
    public WorkflowEvent withoutOutputs() {
        return new WorkflowEvent(eventId, type, workspaceId, instanceId, workflowId, version, contactId, stepId, action,
                path, null, status, occurredAt);
    }
}
