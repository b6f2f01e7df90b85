package io.engageflow.trigger.messaging;

import io.engageflow.common.delivery.Failures;
import io.engageflow.common.delivery.OutboundRecord;
import io.engageflow.common.delivery.Outbox;
import io.engageflow.contracts.Topics;
import io.engageflow.trigger.domain.Verdict;
import io.engageflow.trigger.persistence.ReceivedTriggers;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * De-duplicates valid triggers by (workspace, eventId) and forwards each new one to {@code workflow.triggers} once:
 * in one transaction the group's rows are recorded with one statement and the new ones' forwards are written to the
 * outbox; after commit the forwards are published from memory. A crash after commit loses nothing (the outbox's
 * recovery sends what was not acknowledged) and a redelivered trigger is a duplicate, never sent again. Kafka polls
 * and HTTP requests take this same path.
 */
@ApplicationScoped
public class TriggerIntake {
    public enum Outcome { ACCEPTED, DUPLICATE }

    private final Pool pool;
    private final ReceivedTriggers received;
    private final Outbox outbox;
    private final MeterRegistry metrics;
    private final TriggerTraces traces;

    public TriggerIntake(Pool pool, ReceivedTriggers received, Outbox outbox, MeterRegistry metrics,
                         TriggerTraces traces) {
        this.pool = pool;
        this.received = received;
        this.outbox = outbox;
        this.metrics = metrics;
        this.traces = traces;
    }

    private record Committed(List<Verdict.Valid> triggers, List<Outcome> outcomes, Outbox.Pending forwards) {
    }

    /**
     * Accepts the triggers, in order; completes once the new ones' forwards were acknowledged by the broker
     * (waiting out a broker outage). A second copy of an eventId in the list is a duplicate of the first.
     */
    public Uni<List<Outcome>> accept(List<Verdict.Valid> triggers) {
        if (triggers.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return record(triggers).call(committed -> outbox.publish(committed.forwards())).map(Committed::outcomes);
    }

    /**
     * One trigger for a caller that cannot wait forever (HTTP): fails with {@link Unavailable} when the database or
     * the broker did not take it within {@code bound}. The work is not cancelled then: a recorded trigger's forward
     * stays with the outbox until the broker acknowledges it (cancelling the publish would strand its row), while
     * the database is retried only until the bound.
     */
    public Uni<Outcome> acceptWithin(Verdict.Valid trigger, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        AtomicBoolean recorded = new AtomicBoolean();
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        record(List.of(trigger))
                .onFailure(e -> Failures.isTransient(e) && System.nanoTime() < deadline).retry()
                .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).indefinitely()
                .invoke(() -> recorded.set(true))
                .call(committed -> outbox.publish(committed.forwards()))
                .subscribe().with(committed -> done.complete(committed.outcomes().get(0)), done::completeExceptionally);
        return Uni.createFrom().completionStage(done)
                .ifNoItem().after(bound).failWith(() -> new Unavailable(recorded.get()
                        ? "the broker did not acknowledge the trigger within " + bound + "; it is recorded and will "
                                + "be forwarded when the broker is back (sending it again answers duplicate)"
                        : "the database did not record the trigger within " + bound))
                .onFailure(Failures::isTransient).transform(e -> new Unavailable("the database did not record the "
                        + "trigger within " + bound + ": " + Failures.describe(e)));
    }

    /** One transaction: the group's rows (one statement), the new ones' forwards in the outbox (one statement). */
    private Uni<Committed> record(List<Verdict.Valid> triggers) {
        return pool.withTransaction(tx -> received.recordNew(tx, triggers.stream().map(Verdict.Valid::trigger)
                        .toList()).chain(fresh -> {
                    List<Outcome> outcomes = new ArrayList<>(triggers.size());
                    List<OutboundRecord> forwards = new ArrayList<>(fresh.size());
                    for (Verdict.Valid v : triggers) {
                        if (fresh.remove(ReceivedTriggers.Key.of(v.trigger()))) { // a later copy finds it gone
                            outcomes.add(Outcome.ACCEPTED);
                            forwards.add(traces.forward(v, new OutboundRecord(Topics.WORKFLOW_TRIGGERS,
                                    v.trigger().contact().id(), v.json())));
                        } else {
                            outcomes.add(Outcome.DUPLICATE);
                        }
                    }
                    return outbox.write(tx, forwards).map(pending -> new Committed(triggers, outcomes, pending));
                }))
                .invoke(this::count);
    }

    private void count(Committed committed) {
        for (int i = 0; i < committed.triggers().size(); i++) {
            String type = committed.triggers().get(i).trigger().type();
            String outcome = committed.outcomes().get(i).name().toLowerCase();
            metrics.counter("engageflow.triggers", "outcome", outcome, "type", type).increment();
        }
    }

    /** The trigger could not be taken within the caller's bound: an outage, not the trigger's fault. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }
}
