package io.engageflow.common.delivery;

import io.engageflow.contracts.json.JsonCodec;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A record taken from Kafka, with where it came from: a dead letter names its topic, partition and offset. Its
 * headers are the consumer's own (nothing copied); {@link #header} reads one, e.g. the trace context.
 */
public record InboundRecord(String topic, int partition, long offset, String key, String value, Headers headers) {

    public InboundRecord(String topic, int partition, long offset, String key, String value) {
        this(topic, partition, offset, key, value, null);
    }

    /** The records of a poll, in the order the broker gave them (per partition, offset order). */
    public static List<InboundRecord> of(KafkaRecordBatch<String, String> batch) {
        List<InboundRecord> records = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, String> r : batch.getRecords()) {
            long offset = r instanceof IncomingKafkaRecord<String, String> in ? in.getOffset() : -1;
            records.add(new InboundRecord(r.getTopic(), r.getPartition(), offset, r.getKey(), r.getPayload(),
                    r.getHeaders()));
        }
        return records;
    }

    /** The last value of the header as UTF-8 text, or null when the record has none. */
    public String header(String name) {
        Header h = headers == null ? null : headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Size of the value in bytes as it travelled (UTF-8), for limits checked in bytes rather than chars. */
    public int valueBytes() {
        return value == null ? 0 : JsonCodec.utf8Length(value);
    }

    /** Where the record came from, for logs: never its content (it may hold personal data). */
    public String where() {
        return topic + "-" + partition + "@" + offset;
    }
}
