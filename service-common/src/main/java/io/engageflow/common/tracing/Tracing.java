package io.engageflow.common.tracing;

import io.engageflow.common.delivery.InboundRecord;
import io.engageflow.common.delivery.KafkaSender;
import io.engageflow.common.delivery.OutboundRecord;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One workflow instance is one trace across the Kafka hops: the W3C trace context rides in each record's
 * {@code traceparent}/{@code tracestate} headers (written by {@link KafkaSender}, kept in the outbox). Records are
 * processed in batches holding many instances, so a span is started per record with the record's context as its
 * explicit parent, never the thread's current context, and an outbound record carries the span it belongs to.
 *
 * <p>Off unless a deployment turns the OpenTelemetry SDK on ({@code QUARKUS_OTEL_SDK_DISABLED=false} and an OTLP
 * endpoint). Off, every method answers after one field check: no span objects ({@link Span#getInvalid()}, a
 * constant), no header read, records leave without trace headers.
 *
 * <p>Span attributes name the instance, workspace, workflow, step and action: never the contact or anything of the
 * payload (personal data).
 */
@ApplicationScoped
public class Tracing {
    public static final AttributeKey<String> INSTANCE_ID = AttributeKey.stringKey("engageflow.instance.id");
    public static final AttributeKey<String> WORKSPACE_ID = AttributeKey.stringKey("engageflow.workspace.id");
    public static final AttributeKey<String> WORKFLOW_ID = AttributeKey.stringKey("engageflow.workflow.id");
    public static final AttributeKey<String> STEP_ID = AttributeKey.stringKey("engageflow.step.id");
    public static final AttributeKey<String> ACTION = AttributeKey.stringKey("engageflow.action");
    public static final AttributeKey<String> PATH = AttributeKey.stringKey("engageflow.path");
    public static final AttributeKey<String> STATUS = AttributeKey.stringKey("engageflow.status");

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    /** The trace headers of a carrier, read through a lookup by header name (a record's headers, a stored pair). */
    private static final TextMapGetter<Function<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
            return List.of(KafkaSender.TRACEPARENT_HEADER, KafkaSender.TRACESTATE_HEADER);
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
            return carrier == null ? null : carrier.apply(key);
        }
    };
    private static final TextMapSetter<String[]> INTO_PAIR = (pair, key, value) -> {
        if (KafkaSender.TRACEPARENT_HEADER.equals(key)) {
            pair[0] = value;
        } else if (KafkaSender.TRACESTATE_HEADER.equals(key)) {
            pair[1] = value;
        }
    };

    private final boolean on;
    private final Tracer tracer;

    @Inject
    public Tracing(Instance<OpenTelemetry> openTelemetry,
                   @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "true") boolean disabled) {
        this(disabled || !openTelemetry.isResolvable() ? null : openTelemetry.get());
    }

    /** Tracing with this SDK, or off when it is null. */
    public Tracing(OpenTelemetry sdk) {
        this.on = sdk != null;
        this.tracer = sdk == null ? null : sdk.getTracer("io.engageflow");
    }

    /** Whether spans are made and records carry trace headers. */
    public boolean on() {
        return on;
    }

    /** The trace context a record carries, or the root context (a new trace) when it carries none or tracing is off. */
    public Context parentOf(InboundRecord record) {
        if (!on || record.header(KafkaSender.TRACEPARENT_HEADER) == null) {
            return Context.root();
        }
        return W3C.extract(Context.root(), record::header, HEADERS);
    }

    /**
     * A span's W3C context as text, {@code traceparent} and {@code tracestate} (null when empty): what a record's
     * headers carry, and what a store keeps to continue a trace later, in another process.
     */
    public record TraceContext(String traceparent, String tracestate) {
    }

    /** The span's context as text; null when the span is not a real one (tracing off). */
    public TraceContext contextOf(Span span) {
        if (!on || !span.getSpanContext().isValid()) {
            return null;
        }
        String[] pair = new String[2];
        W3C.inject(Context.root().with(span), pair, INTO_PAIR);
        return new TraceContext(pair[0], pair[1]);
    }

    /** The context a stored traceparent names; the root context (a new trace) when there is none or tracing is off. */
    public Context parentOf(TraceContext stored) {
        if (!on || stored == null || stored.traceparent() == null) {
            return Context.root();
        }
        return W3C.extract(Context.root(), key -> KafkaSender.TRACEPARENT_HEADER.equals(key) ? stored.traceparent()
                : KafkaSender.TRACESTATE_HEADER.equals(key) ? stored.tracestate() : null, HEADERS);
    }

    /** A span with an explicit parent (the root context starts a trace). */
    public Span start(String name, SpanKind kind, Context parent) {
        if (!on) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent).startSpan();
    }

    /** A span whose parent is the context the record carries. */
    public Span start(String name, SpanKind kind, InboundRecord parent) {
        return on ? start(name, kind, parentOf(parent)) : Span.getInvalid();
    }

    /** A child of the span (a root span when the parent is invalid). */
    public Span child(String name, SpanKind kind, Span parent) {
        return on ? start(name, kind, Context.root().with(parent)) : Span.getInvalid();
    }

    /** The record carrying the span's context in its headers; unchanged when the span is not a real one. */
    public OutboundRecord inject(OutboundRecord record, Span span) {
        TraceContext context = contextOf(span);
        return context == null ? record : record.withTrace(context.traceparent(), context.tracestate());
    }

    /** Names the instance and its workspace on the span (ids only: no personal data). */
    public static Span instance(Span span, String instanceId, String workspaceId) {
        if (span.isRecording()) {
            span.setAttribute(INSTANCE_ID, instanceId);
            span.setAttribute(WORKSPACE_ID, workspaceId);
        }
        return span;
    }

    /** Names the step and its action on the span. */
    public static Span step(Span span, String stepId, String action) {
        if (span.isRecording()) {
            if (stepId != null) {
                span.setAttribute(STEP_ID, stepId);
            }
            if (action != null) {
                span.setAttribute(ACTION, action);
            }
        }
        return span;
    }

    /** The trace id of a context (a record's, a stored one), or null when it names no trace. */
    public static String traceId(Context context) {
        return traceId(Span.fromContext(context));
    }

    /** The span's trace id, or null when it is not a real span (tracing off). */
    public static String traceId(Span span) {
        return span.getSpanContext().isValid() ? span.getSpanContext().getTraceId() : null;
    }
}
