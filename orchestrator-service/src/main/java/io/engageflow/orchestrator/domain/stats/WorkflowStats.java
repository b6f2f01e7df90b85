package io.engageflow.orchestrator.domain.stats;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A workflow's runs at a glance (CONTRACT.md, "Workflow statistics"): instances by status, per step the count of
 * each output path and the median and 95th percentile of its duration ({@link DurationBuckets}: within 4.4 %),
 * and the last failures, newest first.
 */
public record WorkflowStats(Map<String, Long> instances, Map<String, StepStats> steps,
                            List<RecentFailure> recentFailures) {

    /** A step's finishes by output path, and its duration's p50 and p95 in milliseconds (null before any). */
    public record StepStats(Map<String, Long> paths, Long p50Ms, Long p95Ms) {
    }

    /** A failure: the step (null when the instance failed as a whole), its error code and message (null if none). */
    public record RecentFailure(String instanceId, String stepId, String code, String message, Instant at) {
    }
}
