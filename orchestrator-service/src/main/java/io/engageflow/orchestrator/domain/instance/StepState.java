package io.engageflow.orchestrator.domain.instance;

import io.engageflow.contracts.ActionError;
import java.time.Instant;
import java.util.Map;

/**
 * One step of an instance as it ran. {@code dueAt} is, while running, the result deadline of an action step or the
 * firing time of a Delay. {@code commandId} is the id of the command in flight; a result for another id is stale.
 */
public class StepState {
    public String stepId;
    public String action;
    public RunStatus status;
    public String path;
    public Map<String, Object> outputs = Map.of();
    public ActionError error;
    public int attempts;
    public String commandId;
    public Instant startedAt;
    public Instant endedAt;
    public Instant dueAt;

    public StepState() {
    }

    public StepState(String stepId, String action, Instant now) {
        this.stepId = stepId;
        this.action = action;
        this.status = RunStatus.RUNNING;
        this.startedAt = now;
    }

    void complete(String takenPath, Map<String, Object> stepOutputs, ActionError stepError, Instant now) {
        status = RunStatus.COMPLETED;
        path = takenPath;
        outputs = stepOutputs == null ? Map.of() : stepOutputs;
        error = stepError;
        endedAt = now;
        dueAt = null;
    }
}
