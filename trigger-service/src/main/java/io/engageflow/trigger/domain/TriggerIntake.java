package io.engageflow.trigger.domain;

import io.engageflow.common.messaging.KafkaRecords;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.trigger.persistence.ReceivedTrigger;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * De-duplicates valid triggers by (workspace, eventId) and forwards each to {@code workflow.triggers}. The row is
 * written first with forwardedAt empty and marked after the broker acknowledged the forward, so a crash in between
 * forwards it again on redelivery (at-least-once; the orchestrator starts one instance per eventId), while a
 * trigger already forwarded is reported as a duplicate and not sent again.
 */
@ApplicationScoped
public class TriggerIntake {
    public enum Outcome { ACCEPTED, DUPLICATE }

    private final MutinyEmitter<String> forward;
    private final MeterRegistry metrics;

    public TriggerIntake(@Channel("workflow-triggers") MutinyEmitter<String> forward, MeterRegistry metrics) {
        this.forward = forward;
        this.metrics = metrics;
    }

    public Uni<Outcome> accept(TriggerEvent trigger) {
        String key = ReceivedTrigger.key(trigger.workspaceId(), trigger.eventId());
        return Panache.withTransaction(() -> ReceivedTrigger.<ReceivedTrigger>findById(key)
                        .chain(existing -> existing != null ? Uni.createFrom().item(existing)
                                : record(key, trigger)))
                .chain(row -> {
                    if (row.forwardedAt != null) {
                        metrics.counter("engageflow.triggers", "outcome", "duplicate").increment();
                        return Uni.createFrom().item(Outcome.DUPLICATE);
                    }
                    return forward.sendMessage(KafkaRecords.keyed(trigger.contact().id(), JsonCodec.encode(trigger)))
                            .chain(() -> Panache.withTransaction(() -> ReceivedTrigger.update(
                                    "forwardedAt = ?1 where key = ?2", Instant.now(), key)))
                            .invoke(() -> metrics.counter("engageflow.triggers", "outcome", "accepted",
                                    "type", trigger.type()).increment())
                            .replaceWith(Outcome.ACCEPTED);
                });
    }

    private static Uni<ReceivedTrigger> record(String key, TriggerEvent trigger) {
        ReceivedTrigger row = new ReceivedTrigger();
        row.key = key;
        row.workspaceId = trigger.workspaceId();
        row.eventId = trigger.eventId();
        row.type = trigger.type();
        row.contactId = trigger.contact().id();
        row.receivedAt = Instant.now();
        return row.persist();
    }
}
