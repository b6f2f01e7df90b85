package io.engageflow.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.testsupport.KafkaBroker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * What the lag alert reads, end to end against a real broker: Micrometer's KafkaClientMetrics (what Quarkus's Kafka
 * binder binds to each SmallRye consumer) on a consumer named as the connector names a channel's, through
 * ConsumerGroupTag: one {@code kafka.consumer.fetch.manager.records.lag} gauge per assigned partition (all of them,
 * not only the first), tagged with the channel's group, whose values add up to the records not yet consumed.
 */
class ConsumerLagMetricsTest {
    private static final String LAG = "kafka.consumer.fetch.manager.records.lag";

    @Test
    void eachPartitionsLagIsAGaugeTaggedWithTheGroupAndCountsTheRecordsNotYetConsumed() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        // dots, as this system's topics have: Kafka 4 reports such a topic's partitions twice (the copy is dropped)
        String topic = "lag.metrics." + UUID.randomUUID();
        String group = "lag-metrics-group-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        int[] produced = {30, 10};
        // a batch per record, so that the consumer below can fetch one record at a time
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.BATCH_SIZE_CONFIG, 0,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer())) {
            for (int partition = 0; partition < produced.length; partition++) {
                for (int i = 0; i < produced[partition]; i++) {
                    producer.send(new ProducerRecord<>(topic, partition, "k" + i, "v" + i));
                }
            }
            producer.flush();
        }

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new ConsumerGroupTag(Map.of("commands", group)));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        int consumed = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                // the client id the SmallRye connector gives the first copy of channel "commands" (concurrency)
                ConsumerConfig.CLIENT_ID_CONFIG, "kafka-consumer-commands$1",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1),
                new StringDeserializer(), new StringDeserializer());
             // Quarkus binds with Micrometer's default refresh (60 s) for meters that appear later, such as a newly
             // assigned partition's lag; this test refreshes often so that it need not wait
             KafkaClientMetrics metrics = new KafkaClientMetrics(consumer, List.of(), scheduler, Duration.ofMillis(100))) {
            metrics.bindTo(registry);
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            // consume until each partition gave a record, then stop: most records stay unconsumed
            Set<Integer> partitions = new HashSet<>();
            while (partitions.size() < 2) {
                assertThat(Instant.now()).as("a record of each partition").isBefore(deadline);
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    partitions.add(r.partition());
                    consumed++;
                }
            }
            // then wait for the metrics' refresh to bind both partitions' lag
            while (lagGauges(registry, topic).size() < 2) {
                assertThat(Instant.now()).as("both partitions' lag gauges").isBefore(deadline);
                Thread.sleep(50);
            }
            // read while bound: closing the metrics removes the meters
            List<Gauge> gauges = lagGauges(registry, topic);
            assertThat(registry.find(LAG).tag("topic", topic.replace('.', '_')).gauges()).as("Kafka's deprecated copy")
                    .isEmpty();
            assertThat(gauges).extracting(g -> g.getId().getTag("partition")).containsExactlyInAnyOrder("0", "1");
            assertThat(gauges).allSatisfy(g -> {
                assertThat(g.getId().getTag("group")).isEqualTo(group);
                assertThat(g.getId().getTag("client.id")).isNull();
            });
            double lag = gauges.stream().mapToDouble(Gauge::value).sum();
            assertThat(consumed).isLessThan(40);
            assertThat(lag).as("records produced (40) minus records consumed (%d)", consumed).isEqualTo(40.0 - consumed);
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static List<Gauge> lagGauges(SimpleMeterRegistry registry, String topic) {
        return registry.find(LAG).tag("topic", topic).gauges().stream()
                .filter(g -> g.getId().getTag("partition") != null).toList();
    }
}
