package io.engageflow.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.RejectedRecord;
import io.engageflow.testsupport.PostgresDatabases;
import io.engageflow.trigger.messaging.PublisherAllowList;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Kafka publishers tied to their workspaces: "competitions" may publish for acme and globex, "loyalty" for initech,
 * "reward-actions-service" (the platform events of that service) for every workspace.
 * A trigger is forwarded when the publisher its record names (header engageflow-publisher) may publish for its
 * workspace, and rejected on triggers.rejected with the reason otherwise: another workspace, an unknown publisher,
 * no header at all. The app needs configuration of its own, so it runs as a second app in the test JVM: the shared
 * in-JVM broker belongs to the first app's class loader, so this one starts a broker of its own.
 */
@QuarkusTest
@TestProfile(PublisherAllowListTest.TwoPublishers.class)
class PublisherAllowListTest {

    public static class TwoPublishers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("engageflow.triggers.publishers.competitions.workspaces", "acme,globex",
                    "engageflow.triggers.publishers.loyalty.workspaces", "initech",
                    "engageflow.triggers.publishers.reward-actions-service.workspaces", "*");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OwnBrokerAndDatabase.class));
        }
    }

    /** A single-node KRaft broker in this JVM, as test-support's KafkaBroker, in a directory of its own. */
    public static class OwnBrokerAndDatabase implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(
                    PostgresDatabases.quarkusConfig("engageflow_trigger_publishers_test"));
            try {
                Path dir = Files.createDirectories(Path.of("target",
                        "kafka-test-" + ProcessHandle.current().pid() + "-publishers"));
                KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).setBaseDirectory(dir).build())
                        .setDeleteOnClose(false)
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("auto.create.topics.enable", "true")
                        .build();
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                config.put("kafka.bootstrap.servers", cluster.bootstrapServers());
            } catch (Exception e) {
                throw new IllegalStateException("could not start this test's Kafka broker", e);
            }
            return config;
        }

        @Override
        public void stop() {
            // like the shared broker, left to stop with the JVM (a close may race the JVM's own shutdown)
        }
    }

    @Inject
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aTriggerIsForwardedOnlyWhenItsRecordsPublisherMayPublishForItsWorkspace() {
        String run = UUID.randomUUID().toString();
        String contact = "c-publishers-" + run;
        Map<String, String> forwardedIds = new HashMap<>();
        Map<String, String> refusedIds = new HashMap<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        // one key: one partition, so the marker sent last is forwarded after every record before it was handled
        records.add(record(contact, forwarded(forwardedIds, run, "competitions-acme"), "acme", "competitions"));
        records.add(record(contact, forwarded(forwardedIds, run, "competitions-globex"), "globex", "competitions"));
        records.add(record(contact, forwarded(forwardedIds, run, "loyalty-initech"), "initech", "loyalty"));
        records.add(record(contact, forwarded(forwardedIds, run, "events-initech"), "initech",
                "reward-actions-service"));
        records.add(record(contact, forwarded(forwardedIds, run, "events-anywhere"), "anywhere",
                "reward-actions-service"));
        records.add(record(contact, refused(refusedIds, run, "competitions-initech",
                "publisher competitions may not publish for workspace initech"), "initech", "competitions"));
        records.add(record(contact, refused(refusedIds, run, "loyalty-acme",
                "publisher loyalty may not publish for workspace acme"), "acme", "loyalty"));
        records.add(record(contact, refused(refusedIds, run, "unknown-acme",
                "publisher nobody may not publish for workspace acme"), "acme", "nobody"));
        records.add(record(contact, refused(refusedIds, run, "no-header-acme",
                "a record without the engageflow-publisher header may not publish for workspace acme"), "acme", null));
        String marker = run + "-marker";
        records.add(record(contact, marker, "acme", "competitions"));

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            ConsumerTask<String, String> rejected = kafka.consumeStrings().fromTopics("triggers.rejected");
            ConsumerTask<String, String> forwarded = kafka.consumeStrings().fromTopics("workflow.triggers");
            kafka.produceStrings().fromRecords(records).awaitCompletion();

            Awaitility.await().atMost(TriggerTopics.WAIT)
                    .until(() -> !TriggerTopics.forwardedWithId(forwarded, marker).isEmpty());
            forwardedIds.forEach((eventId, workspace) -> assertThat(TriggerTopics.forwardedWithId(forwarded, eventId))
                    .as(eventId).singleElement().satisfies(t -> assertThat(t.workspaceId()).isEqualTo(workspace)));
            refusedIds.forEach((eventId, reason) -> {
                RejectedRecord rejection = TriggerTopics.awaitRejection(rejected, "\"eventId\":\"" + eventId + "\"");
                assertThat(rejection.reason()).as(eventId).isEqualTo(reason);
                assertThat(rejection.source()).isEqualTo("triggers.inbound");
                assertThat(TriggerTopics.forwardedWithId(forwarded, eventId)).as(eventId + " forwarded").isEmpty();
            });
            rejected.close();
            forwarded.close();
        }
    }

    private static String forwarded(Map<String, String> ids, String run, String label) {
        String eventId = run + "-" + label;
        ids.put(eventId, label.substring(label.indexOf('-') + 1));
        return eventId;
    }

    private static String refused(Map<String, String> ids, String run, String label, String reason) {
        String eventId = run + "-" + label;
        ids.put(eventId, reason);
        return eventId;
    }

    private static ProducerRecord<String, String> record(String contact, String eventId, String workspace,
                                                         String publisher) {
        String json = """
                {"eventId":"%s","type":"Competition.EntrySubmitted","workspaceId":"%s","contact":{"id":"%s"}}"""
                .formatted(eventId, workspace, contact);
        List<Header> headers = publisher == null ? List.of()
                : List.of(new RecordHeader(PublisherAllowList.HEADER, publisher.getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>("triggers.inbound", null, contact, json, headers);
    }
}
