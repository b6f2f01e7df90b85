package io.engageflow.e2e;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

/**
 * What the broker knows about the mesh's consumer groups: how far each has committed (its lag: records waiting for
 * it) and which members hold which partitions. Committed offsets are what a crash falls back to, so a group whose
 * every process is down has a lag that only grows.
 */
final class ConsumerGroups implements AutoCloseable {
    /** The group of each service's consumers. */
    static final List<String> ALL = List.of("trigger-service", "orchestrator", "contact-actions", "reward-actions",
            "integration-actions");

    private final Admin admin;

    ConsumerGroups(String bootstrapServers) {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** With every call bounded by {@code timeoutMs}: for a reader that must go on while the broker is down. */
    ConsumerGroups(String bootstrapServers, int timeoutMs) {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs));
    }

    /** Where a group stands on one partition it has committed on: its committed offset and the partition's end. */
    record Position(String group, TopicPartition partition, long committed, long end) {
        long lag() {
            return end - committed;
        }
    }

    /** Records of {@code topic} that {@code group} has not committed yet (a partition never committed counts whole). */
    long lag(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        long lag = 0;
        for (var end : admin.listOffsets(latest).all().get().entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            lag += end.getValue().offset() - (at == null ? 0 : at.offset());
        }
        return lag;
    }

    /** Records that any group of the mesh has not committed yet, over every topic it has committed on. */
    long totalLag() throws Exception {
        return positions().stream().mapToLong(Position::lag).sum();
    }

    /** Every mesh group's position on every partition it has committed on. */
    List<Position> positions() throws Exception {
        List<Position> positions = new ArrayList<>();
        for (String group : ALL) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(p -> latest.put(p, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get();
            for (var e : committed.entrySet()) {
                positions.add(new Position(group, e.getKey(), e.getValue() == null ? 0 : e.getValue().offset(),
                        ends.get(e.getKey()).offset()));
            }
        }
        return positions;
    }

    /** The ids of the group's members once it is stable (no rebalance under way), else null. */
    Set<String> stableMembers(String group) throws Exception {
        ConsumerGroupDescription d = describe(group);
        return d.groupState() != GroupState.STABLE ? null
                : d.members().stream().map(MemberDescription::consumerId).collect(Collectors.toSet());
    }

    /**
     * Whether the group is stable with the work shared: for every topic it reads, both the members in
     * {@code before} and those that joined since hold partitions of it.
     */
    boolean sharedWithNewMembers(String group, Set<String> before) throws Exception {
        ConsumerGroupDescription d = describe(group);
        if (d.groupState() != GroupState.STABLE) {
            return false;
        }
        Set<String> oldTopics = new HashSet<>();
        Set<String> newTopics = new HashSet<>();
        Set<String> topics = new HashSet<>();
        for (MemberDescription m : d.members()) {
            for (TopicPartition p : m.assignment().topicPartitions()) {
                topics.add(p.topic());
                (before.contains(m.consumerId()) ? oldTopics : newTopics).add(p.topic());
            }
        }
        return !topics.isEmpty() && oldTopics.equals(topics) && newTopics.equals(topics);
    }

    private ConsumerGroupDescription describe(String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get().get(group);
    }

    @Override
    public void close() {
        admin.close();
    }
}
