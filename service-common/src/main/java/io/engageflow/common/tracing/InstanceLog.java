package io.engageflow.common.tracing;

import io.opentelemetry.api.trace.Span;
import org.jboss.logging.MDC;

/**
 * Log lines about an instance carry its trace id, instance id and workspace id as MDC fields ({@code traceId},
 * {@code instanceId}, {@code workspaceId}; the JSON log of the k8s profile has them under {@code mdc}). A batch holds
 * many instances, so the fields are set around the one statement about that record and restored after it, never
 * left on the thread.
 */
public final class InstanceLog {
    public static final String TRACE_ID = "traceId";
    public static final String INSTANCE_ID = "instanceId";
    public static final String WORKSPACE_ID = "workspaceId";

    private InstanceLog() {
    }

    /** Runs the log statement with the instance's fields in the MDC (the trace id only when the span is real). */
    public static void about(Span span, String instanceId, String workspaceId, Runnable log) {
        about(Tracing.traceId(span), instanceId, workspaceId, log);
    }

    public static void about(String traceId, String instanceId, String workspaceId, Runnable log) {
        Object trace = MDC.get(TRACE_ID);
        Object instance = MDC.get(INSTANCE_ID);
        Object workspace = MDC.get(WORKSPACE_ID);
        put(TRACE_ID, traceId);
        put(INSTANCE_ID, instanceId);
        put(WORKSPACE_ID, workspaceId);
        try {
            log.run();
        } finally {
            put(TRACE_ID, trace);
            put(INSTANCE_ID, instance);
            put(WORKSPACE_ID, workspace);
        }
    }

    private static void put(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
