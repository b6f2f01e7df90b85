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
import java.time.Instant;
import java.util.ArrayList;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
    static ConsumerGroups groups;
    static final String ORCHESTRATOR = "orchestrator-service";
    static final String REWARD = "reward-actions-service";
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
        groups = new ConsumerGroups(broker.bootstrapServers());
    }

    /**
     * Each test starts from the same mesh whatever ran before it: the five services and no replica, with nothing
     * left to process.
     */
    @BeforeEach
    void baseState() {
        assertThat(mesh.running()).containsExactlyInAnyOrderElementsOf(Mesh.SERVICES);
        awaitNoConsumerLag();
    }

    /** A test stops what it started and restarts what it killed; if it failed half-way, the mesh is put back. */
    @AfterEach
    void leftTheBaseState() throws Exception {
        boolean brokerUp = broker.isRunning();
        List<String> left = mesh.running();
        if (!brokerUp) {
            broker.start();
        }
        mesh.restoreBaseState();
        assertThat(brokerUp).as("the broker runs when the test ends").isTrue();
        assertThat(left).as("processes running when the test ended")
                .containsExactlyInAnyOrderElementsOf(Mesh.SERVICES);
    }

    @AfterAll
    static void stop() {
        if (groups != null) {
            groups.close();
        }
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

    /** How many coupons the offer counts as issued. */
    private int issued(String offer) {
        return given().get(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/coupon-offers/" + offer)
                .then().statusCode(200).extract().path("issued");
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

    /** This test's instances with that status (all of them for null), newest first. */
    private List<Map<String, Object>> instances(String status) {
        var request = given().queryParam("limit", 1000);
        if (status != null) {
            request.queryParam("status", status);
        }
        return request
                .get(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/instances")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    private void assertEveryContactRewardedOnce(String prefix, int count, String offer) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> instances("completed").size() == count);
        assertThat(instances("running")).isEmpty();
        assertThat(instances("failed")).isEmpty();
        for (int i = 0; i < count; i++) {
            assertRewardedOnce(prefix + i);
        }
        List<String> members = given().get(mesh.url("contact-actions-service") + "/api/workspaces/" + ws
                + "/lists/Rewarded/members").then().extract().jsonPath().getList("$");
        assertThat(members).hasSize(count).doesNotHaveDuplicates();
        int issued = issued(offer);
        System.out.printf("%s: %d instances completed, one coupon and 10 points per contact, %d list members, the "
                + "offer counts %d coupons issued%n", offer, count, members.size(), issued);
        assertThat(issued).as("coupons the offer counts as issued").isEqualTo(count);
    }

    @Test
    void killedActionServiceAndOrchestratorLoseNothingAndDoubleNothing() throws Exception {
        couponWorkflow("Crash offer");
        double answeredBefore = commandsRun(mesh.url(REWARD));
        // the first half arrives with every service up; the reward service is killed once it is seen mid-run: it
        // has answered commands of this run while instances still wait for theirs
        triggers("crash-", 0, 10);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .failFast("every instance ended before the reward service was seen mid-run",
                        () -> instances("completed").size() == 10)
                .until(() -> commandsRun(mesh.url(REWARD)) > answeredBefore && !instances("running").isEmpty());
        mesh.kill(REWARD);
        long commandsWaitingAtKill = groups.lag("reward-actions", Topics.REWARD_COMMANDS);

        // the second half arrives while it is down: its coupon commands wait in Kafka with nobody to read them
        triggers("crash-", 10, 20);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> groups.lag("reward-actions", Topics.REWARD_COMMANDS) >= commandsWaitingAtKill + 10);
        long commandsWaiting = groups.lag("reward-actions", Topics.REWARD_COMMANDS);

        // the orchestrator dies while those instances wait for their results; the reward service comes back and
        // answers, and its results wait in Kafka for the orchestrator
        assertThat(instances("running")).as("instances waiting for results when the orchestrator dies")
                .hasSizeGreaterThanOrEqualTo(10);
        mesh.kill(ORCHESTRATOR);
        long resultsWaitingAtKill = groups.lag("orchestrator", Topics.ACTION_RESULTS);
        mesh.restart(REWARD);
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> groups.lag("orchestrator", Topics.ACTION_RESULTS) >= resultsWaitingAtKill + 10);
        long resultsWaiting = groups.lag("orchestrator", Topics.ACTION_RESULTS);
        mesh.restart(ORCHESTRATOR);
        System.out.printf("crash: reward commands unread %d at its kill, %d before its restart; results unread by "
                + "the orchestrator %d at its kill, %d before its restart%n", commandsWaitingAtKill, commandsWaiting,
                resultsWaitingAtKill, resultsWaiting);
        assertEveryContactRewardedOnce("crash-", 20, "Crash offer");
    }

    @Test
    void aDelayOutlivesAnOrchestratorCrashAndDuplicateTriggersStartNothingNew() throws Exception {
        activate("""
                {"id": "later", "name": "later", "trigger": {"type": "Card.Completed"},
                 "steps": [{"id": "wait", "action": "Delay", "config": {"duration": "PT10S"}},
                           {"id": "points", "action": "LoyaltyAwardPoints", "config": {"points": 7}}]}""", "later");
        for (int i = 0; i < 5; i++) {
            for (int copy = 0; copy < 2; copy++) { // every trigger delivered twice
                given().contentType(ContentType.JSON).body(Map.of("eventId", "later-" + i, "type", "Card.Completed",
                                "contact", Map.of("id", "later-" + i)))
                        .post(mesh.url("trigger-service") + "/api/workspaces/" + ws + "/triggers").then()
                        .statusCode(copy == 0 ? 202 : 200);
            }
        }
        // the work in flight: five instances, each waiting on its durable timer
        List<Map<String, Object>> waiting = Awaitility.await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .failFast("a timer fired before the orchestrator could be killed",
                        () -> !instances("completed").isEmpty())
                .until(() -> instances("running"), list -> list.size() == 5
                        && list.stream().allMatch(i -> "running".equals(step(i, "wait").get("status"))));
        Instant due = waiting.stream().map(i -> Instant.parse((String) step(i, "wait").get("startedAt")))
                .max(Instant::compareTo).orElseThrow().plus(Duration.ofSeconds(10));
        mesh.kill(ORCHESTRATOR);

        // while it is down the timers come due, and a trigger (of a workspace without workflows) waits unread
        long triggersWaitingAtKill = groups.lag("orchestrator", Topics.WORKFLOW_TRIGGERS);
        given().contentType(ContentType.JSON).body(Map.of("eventId", "idle-1", "type", "Card.Completed",
                        "contact", Map.of("id", "idle-1")))
                .post(mesh.url("trigger-service") + "/api/workspaces/" + ws + "-idle/triggers").then().statusCode(202);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> groups.lag("orchestrator", Topics.WORKFLOW_TRIGGERS) > triggersWaitingAtKill);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Instant.now().isAfter(due));
        Instant restarted = Instant.now();
        mesh.restart(ORCHESTRATOR);

        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> instances("completed").size() == 5);
        List<Map<String, Object>> all = instances(null);
        assertThat(all).as("a duplicate trigger starts no instance").hasSize(5);
        for (Map<String, Object> instance : all) {
            assertThat(stepPaths(instance)).containsExactly("wait=Success", "points=Success");
            @SuppressWarnings("unchecked")
            Map<String, Object> fired = (Map<String, Object>) step(instance, "wait").get("outputs");
            assertThat(Instant.parse((String) fired.get("fired_at"))).as("the timer fired after the restart, not "
                    + "while the orchestrator was down").isAfter(restarted);
        }
        for (int i = 0; i < 5; i++) {
            given().get(mesh.url(REWARD) + "/api/workspaces/" + ws + "/contacts/later-" + i
                    + "/rewards").then().body("points", org.hamcrest.Matchers.equalTo(7));
        }
        System.out.printf("delay across a crash: timers due %s, orchestrator restarted %s; %d instances completed, "
                + "points 7 each%n", due, restarted, all.size());
    }

    @Test
    void aBrokerKilledAndRestartedMidRunLosesNothingAndDoublesNothing() throws Exception {
        couponWorkflow("Broker offer");
        triggers("broker-", 15);
        // instances are mid-flight when the broker dies: commands, results and outbox records in transit
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .failFast("every instance ended before the broker could be killed mid-run",
                        () -> instances("completed").size() == 15)
                .until(() -> !instances("running").isEmpty());
        int running = instances("running").size();
        broker.kill();
        // triggers keep arriving over HTTP while the broker is down: trigger-service holds each request until the
        // broker has the trigger, so none is answered before the broker is back
        ExecutorService clients = Executors.newFixedThreadPool(10);
        List<Future<?>> duringOutage = new ArrayList<>();
        try {
            for (int i = 15; i < 25; i++) {
                String contact = "broker-" + i;
                duringOutage.add(clients.submit(() -> trigger(contact)));
            }
            // requests in progress at trigger-service: the ten held ones, and the scrape that counts them
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Metrics.sum(mesh.url("trigger-service"), "http_server_active_requests") >= 11);
            assertThat(duringOutage).as("no trigger is acknowledged while the broker is down")
                    .noneMatch(Future::isDone);
            broker.start();
            for (Future<?> accepted : duringOutage) {
                accepted.get(90, TimeUnit.SECONDS); // 202, or the test fails here
            }
        } finally {
            clients.shutdownNow();
        }
        System.out.printf("broker restart: 15 triggers sent before the SIGKILL (%d instances running at it), 10 "
                + "held while it was down and accepted after%n", running);
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
        // triggers.inbound and workflow.triggers also hold each instance's platform events (Coupon.Issued,
        // Loyalty.PointsAwarded), which no workflow here listens to: replayed too, they must start nothing either
        assertThat(replayed).as("every topic had this workspace's records to replay")
                .containsEntry(Topics.TRIGGERS_INBOUND, 3 * count).containsEntry(Topics.WORKFLOW_TRIGGERS, 3 * count)
                .containsEntry(Topics.REWARD_COMMANDS, 2 * count).containsEntry(Topics.ACTION_RESULTS, 4 * count);
        awaitNoConsumerLag();

        List<Map<String, Object>> all = instances(null);
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
        int issued = issued("Replay offer");
        System.out.printf("replay: re-published %s; afterwards %d instances, one coupon per contact (the offer "
                + "counts %d), %d emails to %d contacts, %d webhook calls, %d results ignored%n", replayed, all.size(),
                issued, mails, mailed.size(), hooks, ignored);
        assertThat(mails).as("emails sent").isEqualTo(count);
        assertThat(mailed).hasSize(count);
        assertThat(hooks).as("webhook calls").isEqualTo(count);
        assertThat(issued).as("coupons the offer counts as issued").isEqualTo(count);
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    /** Every record of a topic that the filter selects, as a copy to publish again with its key. */
    private static List<ProducerRecord<String, String>> recordsOf(String topic,
                                                                  Predicate<ConsumerRecord<String, String>> filter) {
        return TopicRecords.all(broker.bootstrapServers(), topic).stream().filter(filter)
                .map(r -> new ProducerRecord<>(topic, r.key(), r.value())).toList();
    }

    /** Waits until every consumer group of the mesh has committed up to the end of what it reads. */
    private static void awaitNoConsumerLag() {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> groups.totalLag() == 0 && groups.totalLag() == 0);
    }

    @Test
    void replicasJoiningUnderLoadShareTheWorkAndLoseNothingOnTheRebalance() throws Exception {
        couponWorkflow("Scale offer");
        Set<String> rewardMembers = stableMembers("reward-actions");
        Set<String> orchestratorMembers = stableMembers("orchestrator");
        triggers("scale-", 20);
        try {
            // second replicas of the orchestrator and the reward service join while those 20 are in flight
            String orchestrator2 = "http://127.0.0.1:" + mesh.addReplica(ORCHESTRATOR, ORCHESTRATOR + "-2");
            String reward2 = "http://127.0.0.1:" + mesh.addReplica(REWARD, REWARD + "-2");
            // once each group has given the new replica partitions of every topic it reads, what each replica runs
            // from here on is its share
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> groups.sharedWithNewMembers("reward-actions", rewardMembers)
                            && groups.sharedWithNewMembers("orchestrator", orchestratorMembers));
            double reward1From = commandsRun(mesh.url(REWARD));
            double reward2From = commandsRun(reward2);
            double orchestrator1From = instancesStarted(mesh.url(ORCHESTRATOR));
            double orchestrator2From = instancesStarted(orchestrator2);
            triggers("scale-", 20, 40);
            assertEveryContactRewardedOnce("scale-", 40, "Scale offer");
            double reward1 = commandsRun(mesh.url(REWARD)) - reward1From;
            double reward2Ran = commandsRun(reward2) - reward2From;
            double orchestrator1 = instancesStarted(mesh.url(ORCHESTRATOR)) - orchestrator1From;
            double orchestrator2Started = instancesStarted(orchestrator2) - orchestrator2From;
            System.out.printf("scale-out, after both replicas held partitions: reward replicas ran %.0f and %.0f "
                    + "commands, orchestrator replicas started %.0f and %.0f instances%n", reward1, reward2Ran,
                    orchestrator1, orchestrator2Started);
            assertThat(reward1).as("first reward replica ran commands after the join").isPositive();
            assertThat(reward2Ran).as("second reward replica ran commands after the join").isPositive();
            assertThat(orchestrator1).as("first orchestrator started instances after the join").isPositive();
            assertThat(orchestrator2Started).as("second orchestrator started instances after the join").isPositive();
        } finally {
            mesh.stop(ORCHESTRATOR + "-2");
            mesh.stop(REWARD + "-2");
        }
    }

    private static Set<String> stableMembers(String group) {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> groups.stableMembers(group), members -> members != null && !members.isEmpty());
    }

    /** Commands a reward service process has answered since it started. */
    private static double commandsRun(String url) {
        return Metrics.sum(url, "engageflow_commands_total");
    }

    private static double instancesStarted(String url) {
        return Metrics.sum(url, "engageflow_instances_started_total");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> step(Map<String, Object> instance, String stepId) {
        return ((List<Map<String, Object>>) instance.get("steps")).stream()
                .filter(s -> stepId.equals(s.get("stepId"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<String> stepPaths(Map<String, Object> instance) {
        assertThat(instance.get("status")).isEqualTo("completed");
        return ((List<Map<String, Object>>) instance.get("steps")).stream()
                .map(s -> s.get("stepId") + "=" + s.get("path")).toList();
    }
}
