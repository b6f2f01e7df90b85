package io.engageflow.orchestrator.domain.stats;

import io.engageflow.contracts.WorkflowEvent;
import io.engageflow.contracts.catalog.OutputPaths;
import io.engageflow.orchestrator.domain.instance.Effects;
import io.engageflow.orchestrator.domain.instance.EngineInput;
import io.engageflow.orchestrator.domain.instance.InstanceState;
import io.engageflow.orchestrator.domain.instance.RunStatus;
import io.engageflow.orchestrator.domain.instance.StepState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one engine batch changes in the workflows' run statistics, read off the decisions it applied: counter deltas
 * (instances by status, steps by output path, step durations by {@link DurationBuckets bucket}) summed per counter,
 * and the failures that happened, written by the engine in one statement with the batch's instances.
 *
 * <p>The counters are kept in key order: every batch increments them in that order, so two batches that share
 * counters wait for each other instead of deadlocking.
 */
public final class StatsBatch {
    /** Counter kinds: an instance status (step id ""), a step's output path, a step's duration bucket. */
    public static final String STATUS = "status";
    public static final String PATH = "path";
    public static final String MS = "ms";
    /** The count of failures of a version (step id "", name ""), which also places them in the ring of the last. */
    public static final String FAILURES = "failures";
    /** Failures kept per workflow version: enough for the last of all versions together. */
    public static final int KEEP_FAILURES = 20;

    /** One counter of a workflow version. */
    public record Counter(String workspaceId, String workflowId, int version, String stepId, String kind,
                          String name) {
    }

    private static final Comparator<Counter> ORDER = Comparator.comparing(Counter::workspaceId)
            .thenComparing(Counter::workflowId).thenComparingInt(Counter::version).thenComparing(Counter::stepId)
            .thenComparing(Counter::kind).thenComparing(Counter::name);

    /** A workflow version. */
    public record Version(String workspaceId, String workflowId, int version) {
    }

    /** A step that failed (or an instance that failed without a step that did): what the last-failures list shows. */
    public record Failure(String instanceId, String stepId, String code, String message, Instant at) {
    }

    private final Map<Counter, Long> counters = new TreeMap<>(ORDER);
    private final Map<Version, List<Failure>> failures = new LinkedHashMap<>();

    /** A new instance was inserted, and its start decided. */
    public void started(InstanceState instance, Effects effects) {
        status(instance, null, instance.status);
        steps(instance, effects, null);
    }

    /** A decision changed an instance that was {@code before} (the status it had before the decision). */
    public void decided(RunStatus before, InstanceState instance, Effects effects, EngineInput input) {
        if (before != instance.status) {
            status(instance, before, instance.status);
        }
        steps(instance, effects, input);
    }

    /** An instance whose stored state could not be read was ended failed outside the decider. */
    public void failedUnreadable(String workspaceId, String workflowId, int version) {
        add(new Counter(workspaceId, workflowId, version, "", STATUS, RunStatus.RUNNING.json()), -1);
        add(new Counter(workspaceId, workflowId, version, "", STATUS, RunStatus.FAILED.json()), 1);
    }

    public boolean isEmpty() {
        return counters.isEmpty();
    }

    /** The counter deltas, in the order they must be applied. */
    public Map<Counter, Long> counters() {
        return counters;
    }

    /** The failures per version in the order they happened: the last {@link #KEEP_FAILURES} of each. */
    public Map<Version, List<Failure>> failures() {
        return failures;
    }

    /** How many failures each version had in the batch (all of them, also those past the kept ones). */
    public long failureCount(Version v) {
        return counters.getOrDefault(new Counter(v.workspaceId(), v.workflowId(), v.version(), "", FAILURES, ""), 0L);
    }

    private void status(InstanceState i, RunStatus from, RunStatus to) {
        if (from != null) {
            add(new Counter(i.workspaceId, i.workflowId, i.version, "", STATUS, from.json()), -1);
        }
        add(new Counter(i.workspaceId, i.workflowId, i.version, "", STATUS, to.json()), 1);
    }

    /**
     * Every step the decision finished (each gave a StepCompleted event): its path, its duration, and whether it
     * failed — took the Failure path, could not run, or carries an error (a Decision's or a Split's condition that
     * could not be evaluated). An instance that ended failed with no such step (a record of it was parked) counts as
     * a failure of the instance, with the abort's code.
     */
    private void steps(InstanceState i, Effects effects, EngineInput input) {
        boolean failureSeen = false;
        for (WorkflowEvent e : effects.events) {
            if (e.type() != WorkflowEvent.Type.StepCompleted || e.stepId() == null) {
                continue;
            }
            StepState step = i.steps.get(e.stepId());
            if (step == null) {
                continue;
            }
            if (e.path() != null) {
                add(new Counter(i.workspaceId, i.workflowId, i.version, step.stepId, PATH, e.path()), 1);
            }
            if (step.startedAt != null && step.endedAt != null) {
                long ms = Math.max(0, Duration.between(step.startedAt, step.endedAt).toMillis());
                add(new Counter(i.workspaceId, i.workflowId, i.version, step.stepId, MS,
                        Integer.toString(DurationBuckets.bucket(ms))), 1);
            }
            if (step.error != null || step.status == RunStatus.FAILED || OutputPaths.FAILURE.equals(e.path())) {
                failureSeen = true;
                failure(i, new Failure(i.id, step.stepId, step.error == null ? null : step.error.code(),
                        step.error == null ? null : step.error.message(), step.endedAt != null ? step.endedAt : e.occurredAt()));
            }
        }
        if (!failureSeen && i.status == RunStatus.FAILED && effects.events.stream()
                .anyMatch(e -> e.type() == WorkflowEvent.Type.InstanceEnded)) {
            EngineInput.Abort abort = input instanceof EngineInput.Abort a ? a : null;
            failure(i, new Failure(i.id, abort == null ? null : abort.stepId(), abort == null ? null : abort.code(),
                    abort == null ? null : abort.message(), i.endedAt));
        }
    }

    private void failure(InstanceState i, Failure failure) {
        Version v = new Version(i.workspaceId, i.workflowId, i.version);
        add(new Counter(v.workspaceId(), v.workflowId(), v.version(), "", FAILURES, ""), 1);
        List<Failure> kept = failures.computeIfAbsent(v, k -> new ArrayList<>());
        kept.add(failure);
        if (kept.size() > KEEP_FAILURES) {
            kept.remove(0); // only the last ones of a version can be among the last of all
        }
    }

    private void add(Counter counter, long delta) {
        counters.merge(counter, delta, Long::sum);
    }
}
