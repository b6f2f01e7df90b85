package io.engageflow.orchestrator.api;

import io.engageflow.contracts.ActionError;
import io.engageflow.orchestrator.domain.instance.InstanceState;
import io.engageflow.orchestrator.domain.instance.StepState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The instance view of CONTRACT.md: the instance and its step history in the order the steps started; {@code
 * replayOf} names the instance a replay repeats (else null), {@code test} marks a test run.
 */
public record InstanceView(String id, String workflowId, int version, String contactId, String status,
                           String triggerEventId, Instant startedAt, Instant endedAt, String replayOf, boolean test,
                           List<StepView> steps) {

    public record StepView(String stepId, String action, String status, String path, Map<String, Object> outputs,
                           int attempts, ActionError error, Instant startedAt, Instant endedAt) {
        static StepView of(StepState s) {
            return new StepView(s.stepId, s.action, s.status.json(), s.path, s.outputs, s.attempts, s.error,
                    s.startedAt, s.endedAt);
        }
    }

    public static InstanceView of(InstanceState s) {
        return new InstanceView(s.id, s.workflowId, s.version, s.contactId, s.status.json(), s.trigger.eventId(),
                s.startedAt, s.endedAt, s.replayOf, s.test, s.steps.values().stream().map(StepView::of).toList());
    }
}
