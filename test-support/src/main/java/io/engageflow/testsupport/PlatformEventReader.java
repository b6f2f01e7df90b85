package io.engageflow.testsupport;

import io.engageflow.contracts.Topics;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;

/**
 * The platform events an action service publishes on triggers.inbound, per contact. That nothing more was published
 * is proven with a marker: a later command of the same contact that fires an event of its own, read after every
 * event before it (one contact's events share a partition), never by waiting a while.
 */
public final class PlatformEventReader implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final ConsumerTask<String, String> inbound;

    public PlatformEventReader(KafkaCompanion kafka) {
        this.inbound = kafka.consumeStrings().fromTopics(Topics.TRIGGERS_INBOUND);
    }

    /** The records of the contact's events so far, in order. */
    public List<ConsumerRecord<String, String>> recordsOf(String contactId) {
        return inbound.getRecords().stream()
                .filter(r -> contactId.equals(JsonCodec.read(r.value(), TriggerEvent.class).contact().id()))
                .toList();
    }

    /** The contact's events so far, in order. */
    public List<TriggerEvent> eventsOf(String contactId) {
        return recordsOf(contactId).stream().map(r -> JsonCodec.read(r.value(), TriggerEvent.class)).toList();
    }

    /**
     * Fires a marker ({@code fire} gets a fresh value and runs a command whose event carries it as
     * {@code data.<markerKey>}), waits for its event and returns the contact's events before it.
     */
    public List<TriggerEvent> eventsBeforeMarker(String contactId, String markerKey, Consumer<String> fire) {
        String marker = "marker-" + UUID.randomUUID();
        fire.accept(marker);
        Awaitility.await().atMost(WAIT).until(() -> eventsOf(contactId).stream()
                .anyMatch(e -> marker.equals(e.data().get(markerKey))));
        return eventsOf(contactId).stream().takeWhile(e -> !marker.equals(e.data().get(markerKey))).toList();
    }

    @Override
    public void close() {
        inbound.close();
    }
}
