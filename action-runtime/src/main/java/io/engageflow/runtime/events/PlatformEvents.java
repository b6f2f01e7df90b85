package io.engageflow.runtime.events;

import io.engageflow.common.delivery.Failures;
import io.engageflow.common.delivery.KafkaSender;
import io.engageflow.common.delivery.OutboundRecord;
import io.engageflow.common.delivery.Outbox;
import io.engageflow.common.tracing.Tracing;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.Causation;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.runtime.messaging.ActionSpans;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The platform events a local action's effect causes (CONTRACT.md, "Platform events"): triggers on
 * {@code triggers.inbound}, keyed by contact id, written to the service's outbox in the transaction of the effect
 * (the command's claim and record: they commit together or not at all) and published from memory once that
 * transaction committed; the outbox's recovery sends what a crash or an outage left. A handler calls
 * {@link #publish} only for what really changed. A command answered from its record never runs its handler again,
 * so a redelivered command publishes nothing; should an event be written twice all the same, its eventId — derived
 * from (commandId, type, discriminator) — makes trigger-service take it once.
 *
 * <p>Tracing on, each event's record carries the context of the command's action span (kept in the outbox with it):
 * trigger-service's intake span is its child, so the run of a workflow the event starts is in the same trace as the
 * step that caused it, as its {@link Causation} says in the data.
 */
@ApplicationScoped
public class PlatformEvents {
    private static final Logger LOG = Logger.getLogger(PlatformEvents.class);

    /** One event: its trigger type, what tells it apart from the command's other events of that type, its data. */
    public record Event(String type, String discriminator, Map<String, Object> data) {
        public Event {
            discriminator = discriminator == null ? "" : discriminator;
        }

        public static Event of(String type, Map<String, Object> data) {
            return new Event(type, "", data);
        }
    }

    private final Outbox outbox;
    private final KafkaSender sender;
    private final MeterRegistry metrics;
    private final Tracing tracing;
    private final ActionSpans actionSpans;

    public PlatformEvents(Outbox outbox, KafkaSender sender, MeterRegistry metrics, Tracing tracing,
                          ActionSpans actionSpans) {
        this.outbox = outbox;
        this.sender = sender;
        this.metrics = metrics;
        this.tracing = tracing;
        this.actionSpans = actionSpans;
    }

    /**
     * Writes the events the command's effect caused, in {@code tx} (the command's transaction), for the contact as
     * given (the workspace is the command's); they are published after {@code tx} commits, never if it rolls back.
     */
    public Uni<Void> publish(SqlConnection tx, ActionCommand command, ContactSnapshot contact, List<Event> events) {
        if (events.isEmpty() || command.test()) { // a test run changes nothing, so nothing is announced
            return Uni.createFrom().voidItem();
        }
        Transaction transaction = tx.transaction();
        if (transaction == null) {
            return Uni.createFrom().failure(new IllegalStateException(
                    "platform events are written in the transaction of their effect, and there is none"));
        }
        Causation causation = Causation.causedBy(command.trigger(), command.instanceId(), command.stepId());
        Span action = tracing.on() ? actionSpans.of(command.commandId()) : Span.getInvalid();
        Instant now = Instant.now();
        List<OutboundRecord> records = new ArrayList<>(events.size());
        List<String> types = new ArrayList<>(events.size());
        for (Event e : events) {
            TriggerEvent trigger = new TriggerEvent(eventId(command.commandId(), e.type(), e.discriminator()),
                    e.type(), command.workspaceId(), now, contact, e.data(), causation);
            OutboundRecord record = new OutboundRecord(Topics.TRIGGERS_INBOUND, contact.id(), JsonCodec.encode(trigger));
            if (!record.fits(sender.maxRecordBytes())) {
                // the effect stands; an event the broker would refuse must not fail it nor stall the outbox
                LOG.warnf("%s of command %s not published: %d bytes, more than a record may have", e.type(),
                        command.commandId(), record.bytes());
                metrics.counter("engageflow.platform.events.dropped", "type", e.type()).increment();
                continue;
            }
            records.add(tracing.inject(record, action));
            types.add(e.type());
        }
        return outbox.write(tx, records).invoke(pending -> transaction.completion().subscribe().with(
                committed -> {
                    types.forEach(type -> metrics.counter("engageflow.platform.events", "type", type).increment());
                    outbox.publish(pending).subscribe().with(sent -> { }, failure -> LOG.warnf(
                            "platform events of command %s not sent from memory (the outbox's recovery sends them):"
                                    + " %s", command.commandId(), Failures.describe(failure)));
                },
                rolledBack -> { })).replaceWithVoid(); // rolled back: the rows are gone, nothing to send
    }

    /** The event's eventId: the same command, type and discriminator always give the same one. */
    public static String eventId(String commandId, String type, String discriminator) {
        return UUID.nameUUIDFromBytes((commandId + '\n' + type + '\n' + discriminator)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
