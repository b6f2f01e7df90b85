package io.engageflow.common.delivery;

import io.engageflow.contracts.Topics;
import io.engageflow.contracts.json.JsonCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Parks a record that can never be processed on {@code <topic>.dlq} (CONTRACT.md, "Dead letters"):
 * {@code {"topic", "partition", "offset", "key", "original", "error", "attempts", "service", "at"}}, keyed as the
 * original. The original is kept whole when it fits the broker's limit, else cut (and said so).
 */
@ApplicationScoped
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final KafkaSender sender;
    private final MeterRegistry metrics;
    private final String service;

    public DeadLetters(KafkaSender sender, MeterRegistry metrics,
                       @ConfigProperty(name = "quarkus.application.name") String service) {
        this.sender = sender;
        this.metrics = metrics;
        this.service = service;
    }

    public static String topicFor(String topic) {
        return Topics.dlq(topic);
    }

    /** Publishes the dead letter; fails only with a transient error (the broker is down: the caller waits). */
    public Uni<Void> park(InboundRecord record, String error, int attempts) {
        OutboundRecord letter = letter(record, error, attempts);
        // the error may quote the record (a parser's message) or a handler's input: its kind only above DEBUG
        // ("unreadable: malformed JSON", or the exception's type), the whole text in the dead letter and at DEBUG
        int kindEnd = error.indexOf(": ", error.startsWith("unreadable: ") ? "unreadable: ".length() : 0);
        LOG.errorf("parked %s on %s after %d attempt(s): %s", record.where(), letter.topic(), attempts,
                kindEnd < 0 ? error : error.substring(0, kindEnd));
        LOG.debugf("parked %s: %s", record.where(), error.length() > 500 ? error.substring(0, 500) + "…" : error);
        return sender.send(List.of(letter))
                .invoke(() -> metrics.counter("engageflow.dead.letters", "topic", record.topic()).increment());
    }

    OutboundRecord letter(InboundRecord record, String error, int attempts) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("topic", record.topic());
        body.put("partition", record.partition());
        body.put("offset", record.offset());
        body.put("key", record.key());
        String original = record.value();
        int room = sender.maxRecordBytes() - 10_000; // the envelope, the error, the key
        if (original != null && record.valueBytes() > room) {
            original = cut(original, room);
            body.put("originalTruncated", true);
        }
        body.put("original", original);
        body.put("error", error.length() > 4000 ? error.substring(0, 4000) + "…" : error);
        body.put("attempts", attempts);
        body.put("service", service);
        body.put("at", Instant.now().toString());
        return new OutboundRecord(topicFor(record.topic()), record.key(), JsonCodec.encode(body));
    }

    /** The longest prefix of at most {@code bytes} UTF-8 bytes (a char is at most 3 bytes in the BMP, 4 with pairs). */
    private static String cut(String s, int bytes) {
        int chars = Math.min(s.length(), bytes / 4);
        return s.substring(0, chars);
    }
}
