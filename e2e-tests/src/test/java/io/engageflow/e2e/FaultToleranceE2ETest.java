package io.engageflow.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.json.JsonCodec;
import io.restassured.http.ContentType;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a crash, a broker restart, a replay or a second replica does: processes (the broker included) are killed
 * with SIGKILL mid-flight and started again, whole topics are published a second time, or a second replica joins a
 * consumer group; every instance must still complete, and every effect happen exactly once.
 */
class FaultToleranceE2ETest {
    static KafkaProcess broker;
    static GreenMail smtp;
    static WireMockServer webhook;
    static Mesh mesh;
    final String ws = "ft-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() throws Exception {
        // a broker of its own, as a process, so that it can be killed; 6 partitions for the scale-out test
        broker = new KafkaProcess(Path.of("target", "kafka-fault-tests"), 6);
        int smtpPort = Mesh.freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        webhook = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        webhook.start();
        mesh = new Mesh(smtpPort, broker.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (mesh != null) {
            mesh.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (webhook != null) {
            webhook.stop();
        }
    }

    private void createOffer(String offer) {
        given().contentType(ContentType.JSON).body(Map.of("name", offer))
                .post(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/coupon-offers")
                .then().statusCode(201);
    }

    /** Creates the workflow of this definition (which names its id) and activates it. */
    private void activate(String definition, String id) {
        given().contentType(ContentType.JSON).body(definition)
                .post(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/workflows").then().statusCode(201);
        given().post(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/workflows/" + id + "/activate")
                .then().statusCode(200);
    }

    private void couponWorkflow(String offer) {
        createOffer(offer);
        activate("""
                {"id": "reward", "name": "reward", "trigger": {"type": "Prize.Awarded"},
                 "steps": [{"id": "coupon", "action": "ContactCouponIssue", "config": {"offer": "%s"}},
                           {"id": "points", "action": "LoyaltyAwardPoints", "config": {"points": 10}},
                           {"id": "list", "action": "ContactAddToList", "config": {"list": "Rewarded"}}]}"""
                .formatted(offer), "reward");
    }

    private void assertIssued(String offer, int count) {
        given().get(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/coupon-offers/" + offer)
                .then().body("issued", org.hamcrest.Matchers.equalTo(count));
    }

    /** The contact holds exactly one coupon and 10 points. */
    private void assertRewardedOnce(String contactId) {
        given().get(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/contacts/" + contactId
                        + "/rewards")
                .then().body("coupons.size()", org.hamcrest.Matchers.equalTo(1))
                .body("points", org.hamcrest.Matchers.equalTo(10));
    }

    private void triggers(String prefix, int count) {
        triggers(prefix, 0, count);
    }

    private void triggers(String prefix, int from, int to) {
        for (int i = from; i < to; i++) {
            trigger(prefix + i);
        }
    }

    private void trigger(String contactId) {
        given().contentType(ContentType.JSON).body(Map.of("eventId", contactId, "type", "Prize.Awarded",
                        "contact", Map.of("id", contactId)))
                .post(mesh.url("trigger-service") + "/api/workspaces/" + ws + "/triggers").then().statusCode(202);
    }

    private List<Map<String, Object>> instances(String status) {
        return given().queryParam("status", status).queryParam("limit", 1000)
                .get(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/instances")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    private void assertEveryContactRewardedOnce(String prefix, int count, String offer) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> instances("completed").size() == count);
        assertThat(instances("running")).isEmpty();
        assertThat(instances("failed")).isEmpty();
        assertIssued(offer, count);
        for (int i = 0; i < count; i++) {
            assertRewardedOnce(prefix + i);
        }
        List<String> members = given().get(mesh.url("contact-actions-service") + "/api/workspaces/" + ws
                + "/lists/Rewarded/members").then().extract().jsonPath().getList("$");
        assertThat(members).hasSize(count).doesNotHaveDuplicates();
        System.out.printf("%s: %d instances completed, %d coupons issued, %d list members, none doubled%n", offer,
                count, count, members.size());
    }

    @Test
    void killedActionServiceAndOrchestratorLoseNothingAndDoubleNothing() throws Exception {
        couponWorkflow("Crash offer");
        // the reward service is down while triggers arrive: its commands wait in Kafka
        mesh.kill("reward-actions-service");
        triggers("crash-", 20);
        Mesh.sleep(1500);
        // the orchestrator dies mid-flight too, then both come back
        mesh.kill("orchestrator-service");
        mesh.restart("orchestrator-service");
        mesh.restart("reward-actions-service");
        assertEveryContactRewardedOnce("crash-", 20, "Crash offer");
    }

    @Test
    void aDelayOutlivesAnOrchestratorCrashAndDuplicateTriggersStartNothingNew() throws Exception {
        activate("""
                {"id": "later", "name": "later", "trigger": {"type": "Card.Completed"},
                 "steps": [{"id": "wait", "action": "Delay", "config": {"duration": "PT4S"}},
                           {"id": "points", "action": "LoyaltyAwardPoints", "config": {"points": 7}}]}""", "later");
        for (int i = 0; i < 5; i++) {
            for (int copy = 0; copy < 2; copy++) { // every trigger delivered twice
                given().contentType(ContentType.JSON).body(Map.of("eventId", "later-" + i, "type", "Card.Completed",
                                "contact", Map.of("id", "later-" + i)))
                        .post(mesh.url("trigger-service") + "/api/workspaces/" + ws + "/triggers").then()
                        .statusCode(copy == 0 ? 202 : 200);
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> instances("running").size() == 5);
        mesh.kill("orchestrator-service"); // the timers are due while it is down
        Mesh.sleep(5000);
        mesh.restart("orchestrator-service");
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> instances("completed").size() == 5);
        for (int i = 0; i < 5; i++) {
            given().get(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/contacts/later-" + i
                    + "/rewards").then().body("points", org.hamcrest.Matchers.equalTo(7));
        }
        System.out.printf("delay across a crash: %d instances completed, %d running, points 7 each%n",
                instances("completed").size(), instances("running").size());
    }

    @Test
    void aBrokerKilledAndRestartedMidRunLosesNothingAndDoublesNothing() throws Exception {
        couponWorkflow("Broker offer");
        triggers("broker-", 15);
        broker.kill(); // instances are mid-flight: commands, results and outbox records in transit
        // triggers keep arriving over HTTP while the broker is down: each request waits for the broker's ack
        ExecutorService clients = Executors.newFixedThreadPool(10);
        List<Future<?>> duringOutage = new ArrayList<>();
        for (int i = 15; i < 25; i++) {
            String contact = "broker-" + i;
            duringOutage.add(clients.submit(() -> trigger(contact)));
        }
        Mesh.sleep(5000);
        broker.start();
        for (Future<?> accepted : duringOutage) {
            accepted.get(90, TimeUnit.SECONDS); // 202, or the test fails here
        }
        clients.shutdown();
        System.out.println("broker restart: 15 triggers sent before the SIGKILL, 10 accepted while it was down");
        assertEveryContactRewardedOnce("broker-", 25, "Broker offer");
    }

    @Test
    void replayingEveryTopicStartsNothingNewAndRepeatsNoEffect() throws Exception {
        createOffer("Replay offer");
        webhook.stubFor(WireMock.post("/hooks/replay").willReturn(WireMock.okJson("{\"ok\":true}")));
        activate("""
                {"id": "replay", "name": "replay", "trigger": {"type": "Prize.Awarded"},
                 "steps": [{"id": "coupon", "action": "ContactCouponIssue", "config": {"offer": "Replay offer"}},
                           {"id": "points", "action": "LoyaltyAwardPoints", "config": {"points": 10}},
                           {"id": "mail", "action": "ContactEmailSend",
                            "config": {"subject": "Your code", "body": "{{steps.coupon.coupon_code}}"}},
                           {"id": "hook", "action": "HttpRequest",
                            "config": {"url": "http://127.0.0.1:%d/hooks/replay", "method": "POST",
                                       "body": {"contact": "{{contact.id}}"}}}]}"""
                        .formatted(webhook.port()), "replay");
        int count = 10;
        // triggers come in over Kafka this time, so triggers.inbound has records to replay too
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < count; i++) {
                String contact = ws + "-" + i;
                producer.send(new ProducerRecord<>(Topics.TRIGGERS_INBOUND, contact, JsonCodec.encode(Map.of(
                        "eventId", contact, "type", "Prize.Awarded", "workspaceId", ws,
                        "contact", Map.of("id", contact, "email", contact + "@example.com")))));
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> instances("completed").size() == count);
        awaitNoConsumerLag();

        // read everything first, then publish it all again: the replay's own answers are not replayed
        // (results carry no workspace id: they are this test's when keyed by one of its instances)
        Set<String> instanceIds = new HashSet<>();
        instances("completed").forEach(instance -> instanceIds.add((String) instance.get("id")));
        Map<String, Integer> replayed = new LinkedHashMap<>();
        List<ProducerRecord<String, String>> copies = new ArrayList<>();
        for (String topic : List.of(Topics.TRIGGERS_INBOUND, Topics.WORKFLOW_TRIGGERS, Topics.REWARD_COMMANDS,
                Topics.CONTACT_COMMANDS, Topics.INTEGRATION_COMMANDS, Topics.ACTION_RESULTS)) {
            List<ProducerRecord<String, String>> records = recordsOf(topic, r -> topic.equals(Topics.ACTION_RESULTS)
                    ? instanceIds.contains(r.key()) : r.value() != null && r.value().contains(ws));
            replayed.put(topic, records.size());
            copies.addAll(records);
        }
        try (KafkaProducer<String, String> producer = producer()) {
            copies.forEach(producer::send);
        }
        assertThat(replayed).as("every topic had this workspace's records to replay")
                .containsEntry(Topics.TRIGGERS_INBOUND, count).containsEntry(Topics.WORKFLOW_TRIGGERS, count)
                .containsEntry(Topics.REWARD_COMMANDS, 2 * count).containsEntry(Topics.ACTION_RESULTS, 4 * count);
        awaitNoConsumerLag();

        List<Map<String, Object>> all = given().queryParam("limit", 1000)
                .get(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/instances")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(all).as("a replayed trigger starts no instance").hasSize(count)
                .allSatisfy(instance -> assertThat(instance.get("status")).isEqualTo("completed"));
        int ignored = 0;
        for (Map<String, Object> instance : all) {
            ignored += given().get(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/instances/"
                    + instance.get("id") + "/ignored-results").then().statusCode(200).extract().jsonPath()
                    .getList("$").size();
        }
        assertThat(ignored).as("replayed results are recorded as ignored, not applied").isGreaterThanOrEqualTo(
                4 * count);
        assertIssued("Replay offer", count);
        Set<String> mailed = new HashSet<>();
        int mails = 0;
        for (MimeMessage m : smtp.getReceivedMessages()) {
            String to = m.getAllRecipients()[0].toString();
            if (to.startsWith(ws + "-")) {
                mails++;
                mailed.add(to);
            }
        }
        int hooks = webhook.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/hooks/replay"))
                .withRequestBody(WireMock.containing(ws + "-"))).size();
        for (int i = 0; i < count; i++) {
            assertRewardedOnce(ws + "-" + i);
        }
        System.out.printf("replay: re-published %s; afterwards %d instances, %d coupons, %d emails to %d contacts, "
                + "%d webhook calls, %d results ignored%n", replayed, all.size(), count, mails, mailed.size(), hooks,
                ignored);
        assertThat(mails).as("emails sent").isEqualTo(count);
        assertThat(mailed).hasSize(count);
        assertThat(hooks).as("webhook calls").isEqualTo(count);
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    /** Every record of a topic that the filter selects, as a copy to publish again with its key. */
    private static List<ProducerRecord<String, String>> recordsOf(String topic,
                                                                  Predicate<ConsumerRecord<String, String>> filter) {
        List<ProducerRecord<String, String>> copies = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() < end.get(new TopicPartition(topic, r.partition())) && filter.test(r)) {
                        copies.add(new ProducerRecord<>(topic, r.key(), r.value()));
                    }
                }
            }
        }
        return copies;
    }

    /** Waits until every consumer group of the mesh has committed up to the end of what it reads. */
    private static void awaitNoConsumerLag() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> lag(admin) == 0 && lag(admin) == 0);
        }
    }

    private static long lag(Admin admin) throws Exception {
        long lag = 0;
        for (String group : List.of("trigger-service", "orchestrator", "contact-actions", "reward-actions",
                "integration-actions")) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(p -> latest.put(p, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get();
            for (var e : committed.entrySet()) {
                lag += ends.get(e.getKey()).offset() - (e.getValue() == null ? 0 : e.getValue().offset());
            }
        }
        return lag;
    }

    @Test
    void replicasJoiningUnderLoadShareTheWorkAndLoseNothingOnTheRebalance() throws Exception {
        couponWorkflow("Scale offer");
        triggers("scale-", 20);
        // second replicas of the orchestrator and the reward service join while those 20 are in flight
        int orchestrator2 = mesh.addReplica("orchestrator-service", "orchestrator-service-2");
        int reward2 = mesh.addReplica("reward-actions-service", "reward-actions-service-2");
        triggers("scale-", 20, 40);
        assertEveryContactRewardedOnce("scale-", 40, "Scale offer");
        double reward1Commands = sum(scrape(mesh.url("reward-actions-service")), "engageflow_commands_total");
        double reward2Commands = sum(scrape("http://127.0.0.1:" + reward2), "engageflow_commands_total");
        double orch2Started = sum(scrape("http://127.0.0.1:" + orchestrator2), "engageflow_instances_started_total");
        System.out.printf("scale-out: reward replica 1 ran %.0f commands, replica 2 ran %.0f; orchestrator replica 2 "
                + "started %.0f instances%n", reward1Commands, reward2Commands, orch2Started);
        assertThat(reward1Commands).as("first reward replica ran commands").isPositive();
        assertThat(reward2Commands).as("second reward replica ran commands").isPositive();
        assertThat(orch2Started).as("second orchestrator started instances").isPositive();
    }

    private static String scrape(String base) {
        return given().get(base + "/q/metrics").then().statusCode(200).extract().asString();
    }

    /** Sum of a counter over all its tags in a Prometheus scrape. */
    private static double sum(String metrics, String counter) {
        return metrics.lines().filter(l -> l.startsWith(counter + "{") || l.startsWith(counter + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
