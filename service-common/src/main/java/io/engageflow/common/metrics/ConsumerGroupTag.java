package io.engageflow.common.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * Puts the consumer group on the Kafka client metrics of the SmallRye consumers, so an alert on
 * {@code kafka_consumer_fetch_manager_records_lag} can say which group falls behind on which partition.
 *
 * <p>Quarkus's Micrometer Kafka binder already binds Micrometer's {@code KafkaClientMetrics} to every consumer the
 * SmallRye connector creates (it observes the connector's {@code Consumer} CDI event), which gives the lag per topic
 * and partition, but tagged with the client id only. The connector names a channel's consumer
 * {@code kafka-consumer-<channel>}, its copies under {@code concurrency} {@code kafka-consumer-<channel>$<n>}, each
 * optionally followed by {@code -<index>}; the group is the channel's {@code group.id}.
 *
 * <p>The client id tag is <em>replaced</em> by the group tag, not joined by it: KafkaClientMetrics registers a metric
 * only if no meter of the same name has more tags than Kafka gives it (it keeps the most specific variant), so one
 * more tag would let only the first partition's lag through. A consumer that is no channel's gets {@code none}
 * (Prometheus wants one set of label names per metric). Kafka 4 also emits each partition metric of a topic with dots
 * a second time, under the topic name with underscores (deprecated); this system's topics have dots and no
 * underscores (CONTRACT.md), so those copies are dropped rather than counted twice.
 */
public final class ConsumerGroupTag implements MeterFilter {
    public static final String TAG = "group";
    static final String NONE = "none";
    private static final String CLIENT_PREFIX = "kafka-consumer-";
    private static final Pattern GROUP_KEY = Pattern.compile("^mp\\.messaging\\.incoming\\.(.+)\\.group\\.id$");

    /** Channel → group, longest channel first (a channel name may be the prefix of another). */
    private final List<Map.Entry<String, String>> groups;

    public ConsumerGroupTag(Map<String, String> groupByChannel) {
        this.groups = new ArrayList<>(new TreeMap<>(groupByChannel).entrySet());
        this.groups.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
    }

    /** The groups of the incoming channels configured as {@code mp.messaging.incoming.<channel>.group.id}. */
    public static ConsumerGroupTag from(Config config) {
        Map<String, String> groupByChannel = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            Matcher m = GROUP_KEY.matcher(name);
            if (m.matches()) {
                config.getOptionalValue(name, String.class).ifPresent(g -> groupByChannel.put(m.group(1), g));
            }
        }
        return new ConsumerGroupTag(groupByChannel);
    }

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        String topic = id.getTag("topic");
        return isConsumerMeter(id) && topic != null && topic.indexOf('_') >= 0 && topic.indexOf('.') < 0
                ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!isConsumerMeter(id) || id.getTag(TAG) != null) {
            return id;
        }
        String clientKey = id.getTag("client.id") != null ? "client.id" : "client-id";
        String group = groupOf(id.getTag(clientKey));
        List<Tag> tags = new ArrayList<>();
        for (Tag t : id.getTagsAsIterable()) {
            if (!t.getKey().equals(clientKey)) {
                tags.add(t);
            }
        }
        tags.add(Tag.of(TAG, group));
        return id.replaceTags(tags);
    }

    private static boolean isConsumerMeter(Meter.Id id) {
        return id.getName().startsWith("kafka.consumer.");
    }

    String groupOf(String clientId) {
        if (clientId == null || !clientId.startsWith(CLIENT_PREFIX)) {
            return NONE;
        }
        String rest = clientId.substring(CLIENT_PREFIX.length());
        for (Map.Entry<String, String> e : groups) {
            String channel = e.getKey();
            if (rest.equals(channel) || rest.startsWith(channel + "$") || rest.startsWith(channel + "-")) {
                return e.getValue();
            }
        }
        return NONE;
    }
}
