package io.engageflow.orchestrator.domain.instance;

import io.engageflow.contracts.TriggerEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** An instance of a workflow version for one trigger and contact, with its steps in the order they started. */
public class InstanceState {
    public String id;
    public String workspaceId;
    public String workflowId;
    public int version;
    public String contactId;
    public RunStatus status = RunStatus.RUNNING;
    public TriggerEvent trigger;
    public Instant startedAt;
    public Instant endedAt;
    public Map<String, StepState> steps = new LinkedHashMap<>();
    /** The instance this one replays (an admin's replay), or null. */
    public String replayOf;
    /** A test run (an admin's try of a definition): kept apart from real runs, statistics and reentry. */
    public boolean test;
    /** In a test run, the path each forced step takes at once, without a command (step id → path). */
    public Map<String, String> forcePaths = Map.of();
    /**
     * The W3C trace context ({@code traceparent}, {@code tracestate}) of the instance's last decision, or null
     * (tracing off): where an input no record carries — the clock firing a Delay or a deadline, an admin's cancel —
     * continues the instance's trace, in whichever process and however much later.
     */
    public String traceParent;
    public String traceState;

    /**
     * The key that allows one instance per workflow and trigger ({@code trigger_event_id}): the trigger's eventId for a
     * run a trigger started; a replay and a test run have their own, so that key never refuses them.
     */
    public String runKey() {
        if (replayOf != null) {
            return "replay:" + id;
        }
        return test ? "test:" + id : trigger.eventId();
    }

    /** The earliest time something is due (a result deadline or a Delay), or null. */
    public Instant nextDueAt() {
        return steps.values().stream().filter(s -> s.status == RunStatus.RUNNING).map(s -> s.dueAt)
                .filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
    }

    /** Outputs of finished steps by step id: what {@code {{steps.<id>.<output>}}} and conditions see. */
    public Map<String, Map<String, Object>> outputsByStep() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        steps.values().stream().filter(s -> s.status.successful())
                .forEach(s -> out.put(s.stepId, s.outputs));
        return out;
    }
}
