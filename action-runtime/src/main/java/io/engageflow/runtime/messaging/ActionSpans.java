package io.engageflow.runtime.messaging;

import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The span of each command being run (tracing on only), by commandId, from its poll's start until its poll is
 * answered: its result carries it, its outside call is its child, and the platform events its effect causes carry it
 * (so the run a chained workflow starts continues the trace of the step that caused it).
 */
@ApplicationScoped
public class ActionSpans {
    private final Map<String, Span> running = new ConcurrentHashMap<>();

    /** Starts the command's span unless it has one; whether this call started it. */
    boolean open(String commandId, Supplier<Span> start) {
        boolean[] opened = {false};
        running.computeIfAbsent(commandId, id -> {
            opened[0] = true;
            return start.get();
        });
        return opened[0];
    }

    /** Ends the command's span. */
    void close(String commandId) {
        Span span = running.remove(commandId);
        if (span != null) {
            span.end();
        }
    }

    /** The command's span, or the invalid span when it has none (tracing off, or not being run here). */
    public Span of(String commandId) {
        return running.getOrDefault(commandId, Span.getInvalid());
    }
}
