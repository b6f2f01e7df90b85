package io.engageflow.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lag gauges Micrometer's KafkaClientMetrics registers for the SmallRye consumers (name
 * {@code kafka.consumer.fetch.manager.records.lag}, tags client.id, topic, partition, kafka.version) get the group of
 * the channel the consumer belongs to in place of the client id, under the client ids the connector gives it (plain,
 * a {@code concurrency} copy, with a partition index); Kafka's underscore copies of dotted topics are dropped.
 */
class ConsumerGroupTagTest {
    private static final String LAG = "kafka.consumer.fetch.manager.records.lag";
    // orchestrator-service's channels: one group for two channels, and a channel whose name starts another's
    private final ConsumerGroupTag tag = new ConsumerGroupTag(Map.of(
            "action-results", "orchestrator",
            "workflow-triggers", "orchestrator",
            "api-key-uses", "orchestrator-key-usage",
            "api-key-uses-audit", "audit"));

    private Meter.Id lag(SimpleMeterRegistry registry, String clientId, String topic, String partition) {
        return Gauge.builder(LAG, () -> 7.0)
                .tags(Tags.of("client.id", clientId, "topic", topic, "partition", partition, "kafka.version", "4.1"))
                .register(registry).getId();
    }

    @Test
    void everyConsumerLagSeriesCarriesTheGroupOfItsChannel() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(tag);

        assertThat(lag(registry, "kafka-consumer-action-results", "actions.results", "0").getTag("group"))
                .isEqualTo("orchestrator");
        assertThat(lag(registry, "kafka-consumer-workflow-triggers$2", "workflow.triggers", "1").getTag("group"))
                .isEqualTo("orchestrator");
        assertThat(lag(registry, "kafka-consumer-api-key-uses$1-0", "auth.api-keys.used", "2").getTag("group"))
                .isEqualTo("orchestrator-key-usage");
        assertThat(lag(registry, "kafka-consumer-api-key-uses-audit", "auth.api-keys.used", "2").getTag("group"))
                .as("the longest channel name that matches").isEqualTo("audit");
        // a consumer no channel made (its own client id) still has the label, so every series has the same names
        assertThat(lag(registry, "key-directory", "auth.api-keys", "0").getTag("group")).isEqualTo("none");

        Meter.Id id = registry.get(LAG).tag("group", "orchestrator").tag("partition", "1").gauge().getId();
        assertThat(id.getTag("topic")).isEqualTo("workflow.triggers");
        // the same number of tags as Kafka gives (KafkaClientMetrics skips a metric when a meter of its name has more)
        assertThat(id.getTags()).extracting(t -> t.getKey())
                .containsExactlyInAnyOrder("group", "topic", "partition", "kafka.version");
    }

    @Test
    void kafkasDeprecatedUnderscoreCopyOfADottedTopicIsDropped() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(tag);

        lag(registry, "kafka-consumer-action-results", "actions_results", "0");
        lag(registry, "kafka-consumer-action-results", "actions.results", "0");

        assertThat(registry.find(LAG).gauges()).singleElement()
                .satisfies(g -> assertThat(g.getId().getTag("topic")).isEqualTo("actions.results"));
    }

    @Test
    void metersOtherThanTheConsumersAreLeftAsTheyAre() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(tag);

        registry.counter("kafka.producer.record.send.total", "client.id", "kafka-consumer-action-results");
        registry.counter("engageflow.dead.letters", "topic", "actions.results");

        assertThat(registry.get("kafka.producer.record.send.total").counter().getId().getTag("group")).isNull();
        assertThat(registry.get("engageflow.dead.letters").counter().getId().getTags()).hasSize(1);
    }
}
