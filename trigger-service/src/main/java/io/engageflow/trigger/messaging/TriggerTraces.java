package io.engageflow.trigger.messaging;

import io.engageflow.common.delivery.OutboundRecord;
import io.engageflow.common.delivery.RecordStage.Item;
import io.engageflow.common.tracing.Tracing;
import io.engageflow.trigger.domain.Verdict;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * trigger-service's part of an instance's trace, where it begins: a "trigger intake" span per trigger record of
 * {@code triggers.inbound} (child of the publisher's context when the record carries one; over HTTP the server's own
 * request span is the intake), and a "trigger forward" span whose context the record on {@code workflow.triggers}
 * carries to the orchestrator (and keeps in the outbox). A poll holds many triggers: each has its own span, found
 * again by the trigger when it is forwarded. Off (the default), every method returns after one check.
 */
@ApplicationScoped
public class TriggerTraces {
    static final AttributeKey<String> TRIGGER_TYPE = AttributeKey.stringKey("engageflow.trigger.type");

    private final Tracing tracing;
    private final Map<Verdict.Valid, Span> intakes = new ConcurrentHashMap<>();

    public TriggerTraces(Tracing tracing) {
        this.tracing = tracing;
    }

    /** Before a poll's valid triggers are accepted: an intake span each, child of its record's context. */
    public void received(List<Item<Verdict>> items) {
        if (!tracing.on()) {
            return;
        }
        for (Item<Verdict> item : items) {
            if (item.value() instanceof Verdict.Valid v) {
                intakes.put(v, named(tracing.start("trigger intake", SpanKind.CONSUMER, item.record()), v));
            }
        }
    }

    /** The poll is done: its intake spans end. */
    public void done(List<Item<Verdict>> items) {
        if (!tracing.on()) {
            return;
        }
        for (Item<Verdict> item : items) {
            if (item.value() instanceof Verdict.Valid v) {
                Span span = intakes.remove(v);
                if (span != null) {
                    span.end();
                }
            }
        }
    }

    /**
     * The forward of a new trigger, carrying a "trigger forward" span: child of the trigger's intake span (Kafka), or
     * of the current context (HTTP: the request's span).
     */
    public OutboundRecord forward(Verdict.Valid trigger, OutboundRecord record) {
        if (!tracing.on()) {
            return record;
        }
        Span intake = intakes.get(trigger);
        Context parent = intake != null ? Context.root().with(intake) : Context.current();
        Span forward = named(tracing.start("trigger forward", SpanKind.PRODUCER, parent), trigger);
        try {
            return tracing.inject(record, forward);
        } finally {
            forward.end();
        }
    }

    private static Span named(Span span, Verdict.Valid v) {
        if (span.isRecording()) {
            span.setAttribute(Tracing.WORKSPACE_ID, v.trigger().workspaceId());
            span.setAttribute(TRIGGER_TYPE, v.trigger().type());
        }
        return span;
    }
}
