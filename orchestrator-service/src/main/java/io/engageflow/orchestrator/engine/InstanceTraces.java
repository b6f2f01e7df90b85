package io.engageflow.orchestrator.engine;

import io.engageflow.common.delivery.OutboundRecord;
import io.engageflow.common.delivery.RecordStage.Item;
import io.engageflow.common.tracing.Tracing;
import io.engageflow.common.tracing.Tracing.TraceContext;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.WorkflowEvent;
import io.engageflow.orchestrator.domain.instance.EngineInput;
import io.engageflow.orchestrator.domain.instance.InstanceState;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The orchestrator's part of an instance's trace: a decision span per input that changed an instance ("instance
 * start", "result applied", "timer fired", ...), child of the record that caused it (the trigger, the action's
 * result); under it a "command issued" span per command, whose context the command record carries to the action
 * service, and "instance end" when the instance ended. A poll holds many instances, so the consumers register each
 * record's context by what the engine will meet again (a trigger's eventId, a result's commandId) before the engine
 * decides, and forget them after.
 *
 * <p>An input no record carries (the clock firing a Delay or a deadline, an admin's cancel) continues from the
 * instance's last decision, whose context each decision leaves in the instance ({@link InstanceState#traceParent}, a
 * column of its row written in the decision's transaction): so it continues in any replica, after any restart.
 *
 * <p>Off (the default), every method returns after one check.
 */
@ApplicationScoped
public class InstanceTraces {
    private final Tracing tracing;
    private final Map<String, Context> triggers = new ConcurrentHashMap<>();
    private final Map<String, Context> results = new ConcurrentHashMap<>();

    public InstanceTraces(Tracing tracing) {
        this.tracing = tracing;
    }

    public boolean on() {
        return tracing.on();
    }

    /** Before a poll of triggers is decided: each trigger's context, by its eventId. */
    public void receivedTriggers(List<Item<TriggerEvent>> items) {
        if (tracing.on()) {
            items.forEach(i -> triggers.put(i.value().eventId(), tracing.parentOf(i.record())));
        }
    }

    public void forgetTriggers(List<Item<TriggerEvent>> items) {
        if (tracing.on()) {
            items.forEach(i -> triggers.remove(i.value().eventId()));
        }
    }

    /** Before a poll of results is applied: each result's context (the action's span), by its commandId. */
    public void receivedResults(List<Item<ActionResult>> items) {
        if (tracing.on()) {
            items.forEach(i -> results.put(i.value().commandId(), tracing.parentOf(i.record())));
        }
    }

    public void forgetResults(List<Item<ActionResult>> items) {
        if (tracing.on()) {
            items.forEach(i -> results.remove(i.value().commandId()));
        }
    }

    /** The span of an instance's start: child of its trigger's context (an admin's replay or test run: a new trace). */
    public Span started(InstanceState state) {
        if (!tracing.on()) {
            return Span.getInvalid();
        }
        Context parent = state.trigger == null ? null : triggers.get(state.trigger.eventId());
        Span span = tracing.start("instance start", SpanKind.CONSUMER, parent == null ? Context.root() : parent);
        span.setAttribute(Tracing.WORKFLOW_ID, state.workflowId);
        return decided(Tracing.instance(span, state.id, state.workspaceId), state);
    }

    /**
     * The span of an input that changed the instance: child of the record that brought it, else of the instance's
     * last decision (a new trace when it has none: tracing was off then).
     */
    public Span applied(InstanceState state, EngineInput input) {
        if (!tracing.on()) {
            return Span.getInvalid();
        }
        Context parent = null;
        String name;
        if (input instanceof EngineInput.Result r) {
            parent = results.get(r.result().commandId());
            name = "result applied";
        } else if (input instanceof EngineInput.Timer) {
            name = "timer fired";
        } else {
            name = "instance " + input.getClass().getSimpleName().toLowerCase();
        }
        if (parent == null) {
            parent = tracing.parentOf(new TraceContext(state.traceParent, state.traceState));
        }
        Span span = Tracing.instance(tracing.start(name, SpanKind.CONSUMER, parent), state.id, state.workspaceId);
        span.setAttribute(Tracing.WORKFLOW_ID, state.workflowId);
        if (input instanceof EngineInput.Result r) {
            Tracing.step(span, r.result().stepId(), r.result().action());
            if (r.result().path() != null) {
                span.setAttribute(Tracing.PATH, r.result().path());
            }
        }
        return decided(span, state);
    }

    /** The instance keeps the decision's context, written with it. */
    private Span decided(Span span, InstanceState state) {
        TraceContext context = tracing.contextOf(span);
        if (context != null) {
            state.traceParent = context.traceparent();
            state.traceState = context.tracestate();
        }
        return span;
    }

    /**
     * The trace id for a log line about the input's instance: the trace of the record that brought it (a result's),
     * else the instance's; null when tracing is off or there is none.
     */
    public String traceIdOf(InstanceState state, EngineInput input) {
        if (!tracing.on()) {
            return null;
        }
        Context record = input instanceof EngineInput.Result r ? results.get(r.result().commandId()) : null;
        if (record != null && Tracing.traceId(record) != null) {
            return Tracing.traceId(record);
        }
        return state == null ? null : traceIdOf(state.traceParent);
    }

    /** The trace id of a stored traceparent, or null. */
    public String traceIdOf(String traceParent) {
        return tracing.on() ? Tracing.traceId(tracing.parentOf(new TraceContext(traceParent, null))) : null;
    }

    /** A command of the decision: its own span, whose context the record carries to the action service. */
    public OutboundRecord command(Span decision, ActionCommand command, OutboundRecord record) {
        if (!tracing.on()) {
            return record;
        }
        Span span = Tracing.step(Tracing.instance(tracing.child("command issued", SpanKind.PRODUCER, decision),
                command.instanceId(), command.workspaceId()), command.stepId(), command.action());
        try {
            return tracing.inject(record, span);
        } finally {
            span.end();
        }
    }

    /** An event of the decision: "instance end" when the instance ended; the record carries the decision's context. */
    public OutboundRecord event(Span decision, InstanceState state, WorkflowEvent event, OutboundRecord record) {
        if (!tracing.on()) {
            return record;
        }
        if (event.type() == WorkflowEvent.Type.InstanceEnded) {
            Span end = Tracing.instance(tracing.child("instance end", SpanKind.INTERNAL, decision), state.id,
                    state.workspaceId);
            end.setAttribute(Tracing.STATUS, String.valueOf(event.status()));
            end.end();
        }
        return tracing.inject(record, decision);
    }

    /** The decision's records are made: its span ends. */
    public void done(Span decision) {
        decision.end();
    }
}
