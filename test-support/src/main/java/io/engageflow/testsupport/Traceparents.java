package io.engageflow.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/** W3C {@code traceparent} headers on the records a tracing test sends and reads: {@code 00-<trace>-<span>-01}. */
public final class Traceparents {
    private Traceparents() {
    }

    /** A new trace id: 32 hex digits. */
    public static String traceId() {
        return hex(32);
    }

    /** A new span id: 16 hex digits. */
    public static String spanId() {
        return hex(16);
    }

    /** The record, carrying a traceparent naming this trace and span (as a sampled parent). */
    public static <K, V> ProducerRecord<K, V> carrying(ProducerRecord<K, V> record, String traceId, String spanId) {
        record.headers().add(new RecordHeader("traceparent", ("00-" + traceId + "-" + spanId + "-01")
                .getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    /** The record's traceparent split into version, trace id, span id and flags; null when it has none. */
    public static String[] of(ConsumerRecord<?, ?> record) {
        Header h = record.headers().lastHeader("traceparent");
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8).split("-");
    }

    private static String hex(int digits) {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, digits);
    }
}
