package io.engageflow.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a crash or a second replica does: processes are killed with SIGKILL mid-flight and started again, or a
 * second replica joins a consumer group; every instance must still complete, and every effect happen exactly once.
 */
class FaultToleranceE2ETest {
    static Mesh mesh;
    final String ws = "ft-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() throws Exception {
        mesh = new Mesh(Mesh.freePort()); // no SMTP needed: these workflows send no email
    }

    @AfterAll
    static void stop() {
        if (mesh != null) {
            mesh.close();
        }
    }

    private void couponWorkflow(String offer) {
        given().contentType(ContentType.JSON).body(Map.of("name", offer))
                .post(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/coupon-offers")
                .then().statusCode(201);
        String definition = """
                {"id": "reward", "name": "reward", "trigger": {"type": "Prize.Awarded"},
                 "steps": [{"id": "coupon", "action": "ContactCouponIssue", "config": {"offer": "%s"}},
                           {"id": "points", "action": "LoyaltyAwardPoints", "config": {"points": 10}},
                           {"id": "list", "action": "ContactAddToList", "config": {"list": "Rewarded"}}]}"""
                .formatted(offer);
        given().contentType(ContentType.JSON).body(definition)
                .post(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/workflows").then().statusCode(201);
        given().post(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/workflows/reward/activate")
                .then().statusCode(200);
    }

    private void triggers(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            given().contentType(ContentType.JSON).body(Map.of("eventId", prefix + i, "type", "Prize.Awarded",
                            "contact", Map.of("id", prefix + i)))
                    .post(mesh.url("trigger-service") + "/api/workspaces/" + ws + "/triggers").then().statusCode(202);
        }
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
        given().get(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/coupon-offers/" + offer)
                .then().body("issued", org.hamcrest.Matchers.equalTo(count));
        for (int i = 0; i < count; i++) {
            given().get(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/contacts/" + prefix + i
                            + "/rewards")
                    .then().body("coupons.size()", org.hamcrest.Matchers.equalTo(1))
                    .body("points", org.hamcrest.Matchers.equalTo(10));
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
        given().contentType(ContentType.JSON).body("""
                {"id": "later", "name": "later", "trigger": {"type": "Card.Completed"},
                 "steps": [{"id": "wait", "action": "Delay", "config": {"duration": "PT4S"}},
                           {"id": "points", "action": "LoyaltyAwardPoints", "config": {"points": 7}}]}""")
                .post(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/workflows").then().statusCode(201);
        given().post(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/workflows/later/activate")
                .then().statusCode(200);
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
    void replicasJoiningUnderLoadShareTheWorkAndLoseNothingOnTheRebalance() throws Exception {
        couponWorkflow("Scale offer");
        triggers("scale-", 20);
        // second replicas of the orchestrator and the reward service join while those 20 are in flight
        int orchestrator2 = mesh.addReplica("orchestrator-service", "orchestrator-service-2");
        int reward2 = mesh.addReplica("reward-actions-service", "reward-actions-service-2");
        for (int i = 20; i < 40; i++) {
            given().contentType(ContentType.JSON).body(Map.of("eventId", "scale-" + i, "type", "Prize.Awarded",
                            "contact", Map.of("id", "scale-" + i)))
                    .post(mesh.url("trigger-service") + "/api/workspaces/" + ws + "/triggers").then().statusCode(202);
        }
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
