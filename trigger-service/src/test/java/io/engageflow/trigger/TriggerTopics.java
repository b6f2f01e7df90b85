package io.engageflow.trigger;

import io.engageflow.contracts.RejectedRecord;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.KafkaBroker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that talk to the service over Kafka: the companion on the test broker, and what the tests read
 * back (forwarded triggers, rejections, the service's trigger counters).
 */
abstract class TriggerTopics {
    /** Longest wait for something that must happen: two loaded cores. */
    static final Duration WAIT = Duration.ofSeconds(30);

    static KafkaCompanion kafka;

    @BeforeAll
    static void companion() {
        kafka = new KafkaCompanion(KafkaBroker.bootstrapServers());
    }

    @AfterAll
    static void closeCompanion() {
        kafka.close();
    }

    /**
     * Waits until the marker trigger has been forwarded, then returns the forwarded copies of {@code eventId}: the
     * marker followed them on the same key, so every copy the service sent stands before it in what was read.
     */
    static List<TriggerEvent> forwardedBefore(ConsumerTask<String, String> task, String marker, String eventId) {
        Awaitility.await().atMost(WAIT).until(() -> !forwardedWithId(task, marker).isEmpty());
        return forwardedWithId(task, eventId);
    }

    static List<TriggerEvent> forwardedWithId(ConsumerTask<String, String> task, String eventId) {
        return task.getRecords().stream().map(r -> JsonCodec.read(r.value(), TriggerEvent.class))
                .filter(t -> eventId.equals(t.eventId())).toList();
    }

    /** Rejections whose original record contains the text (an eventId near its start: originals are cut). */
    static List<RejectedRecord> rejectedWith(ConsumerTask<String, String> task, String text) {
        return task.getRecords().stream().map(ConsumerRecord::value)
                .map(v -> JsonCodec.read(v, RejectedRecord.class))
                .filter(r -> r.original() != null && r.original().contains(text)).toList();
    }

    /** Waits for the rejection of the record containing the text and returns it. */
    static RejectedRecord awaitRejection(ConsumerTask<String, String> task, String text) {
        Awaitility.await().atMost(WAIT).until(() -> !rejectedWith(task, text).isEmpty());
        return rejectedWith(task, text).get(0);
    }

    /** The engageflow.triggers counter of one outcome (accepted, duplicate, rejected), summed over its tags. */
    static double count(MeterRegistry metrics, String outcome) {
        return metrics.find("engageflow.triggers").tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
