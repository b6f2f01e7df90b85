package io.engageflow.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A topic read whole, from its beginning to the end it had when the read began, without a consumer group. */
final class TopicRecords {
    private TopicRecords() {
    }

    static List<ConsumerRecord<String, String>> all(String bootstrapServers, String topic) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        forEach(bootstrapServers, topic, records::add);
        return records;
    }

    /** Hands each record to {@code visitor} in partition order (for topics too long to hold as a list). */
    static void forEach(String bootstrapServers, String topic, Consumer<ConsumerRecord<String, String>> visitor) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                // a dead letter may hold a record of almost the broker's limit
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(2 * 1024 * 1024)),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() < end.get(new TopicPartition(topic, r.partition()))) {
                        visitor.accept(r);
                    }
                }
            }
        }
    }
}
