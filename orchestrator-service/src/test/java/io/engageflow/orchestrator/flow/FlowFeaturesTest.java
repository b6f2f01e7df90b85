package io.engageflow.orchestrator.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.WorkflowEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each flow-control feature on the real broker and database, the test playing the action services. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_orchestrator_test"))
class FlowFeaturesTest extends FlowTestSupport {

    @AfterEach
    void close() {
        commands.close();
    }

    private Map<String, Object> awaitEnded(String contactId) {
        return Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> instanceOf(contactId),
                i -> i != null && !"running".equals(i.get("status")));
    }

    @SuppressWarnings("unchecked")
    private static List<String> paths(Map<String, Object> instance) {
        return ((List<Map<String, Object>>) instance.get("steps")).stream()
                .map(s -> s.get("stepId") + "=" + s.get("path")).toList();
    }

    @Test
    void decisionTakesTheFirstCaseThatHoldsElseTheDefault() {
        createActive("""
                {"name": "tiers", "trigger": {"type": "Loyalty.PointsAwarded"},
                 "steps": [{"id": "tier", "action": "Decision", "config": {"cases": [
                     {"when": "contact.properties.total_points >= 1000", "path": "Gold"},
                     {"when": "contact.properties.total_points >= 500", "path": "Silver"}], "default": "Bronze"},
                   "paths": {"Gold": [{"id": "gold", "action": "LoyaltyAddToTier", "config": {"tier": "Gold"}}],
                             "Bronze": [{"id": "bronze", "action": "LoyaltyAddToTier", "config": {"tier": "Bronze"}}]}}]}""");
        var gold = trigger("Loyalty.PointsAwarded", "c-gold", null, Map.of());
        gold = new io.engageflow.contracts.TriggerEvent(gold.eventId(), gold.type(), gold.workspaceId(),
                gold.occurredAt(), new io.engageflow.contracts.ContactSnapshot("c-gold", null, null, null, null,
                Map.of("total_points", 1500)), Map.of());
        send(gold);
        reply(awaitCommand("c-gold", "gold"), "Success", Map.of());
        assertThat(paths(awaitEnded("c-gold"))).containsExactly("tier=Gold", "gold=Success");

        var silver = trigger("Loyalty.PointsAwarded", "c-silver", null, Map.of());
        send(new io.engageflow.contracts.TriggerEvent(silver.eventId(), silver.type(), silver.workspaceId(),
                silver.occurredAt(), new io.engageflow.contracts.ContactSnapshot("c-silver", null, null, null, null,
                Map.of("total_points", 600)), Map.of()));
        // Silver has no block: the instance just completes
        assertThat(paths(awaitEnded("c-silver"))).containsExactly("tier=Silver");
    }

    /** Split into branches a and b, joined before the step "after". */
    private void createSplitWorkflow(String name) {
        createActive("""
                {"name": "%s", "trigger": {"type": "Prize.Awarded"},
                 "steps": [{"id": "both", "action": "Split", "branches": [
                             [{"id": "a", "action": "AssignContactAchievement", "config": {"achievement": "Winner"}}],
                             [{"id": "b", "action": "ContactAddToList", "config": {"list": "Winners"}}]]},
                           {"id": "after", "action": "LoyaltyAwardPoints", "config": {"points": 5}}]}"""
                .formatted(name));
    }

    @Test
    void splitRunsBranchesInParallelAndJoinsBeforeTheNextStep() {
        createSplitWorkflow("split");
        send(trigger("Prize.Awarded", "c-split", "a@b.co", Map.of()));
        ActionCommand a = awaitCommand("c-split", "a");
        ActionCommand b = awaitCommand("c-split", "b");
        reply(a, "Success", Map.of());
        Awaitility.await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2))
                .until(() -> commandsFor("c-split").stream().noneMatch(c -> c.stepId().equals("after")));
        reply(b, "Failure", Map.of());
        reply(awaitCommand("c-split", "after"), "Success", Map.of());
        assertThat(paths(awaitEnded("c-split"))).containsExactly("both=Success", "a=Success", "b=Failure",
                "after=Success");
    }

    @Test
    void branchResultsArrivingTogetherWithADuplicateJoinOnce() {
        createSplitWorkflow("split-together");
        send(trigger("Prize.Awarded", "c-together", "a@b.co", Map.of()));
        ActionCommand a = awaitCommand("c-together", "a");
        ActionCommand b = awaitCommand("c-together", "b");
        // one produce call: the three records land in one poll, so the orchestrator applies them in one batch
        replyAll(List.of(result(a, "Success"), result(b, "Success"), result(a, "Success")));
        reply(awaitCommand("c-together", "after"), "Success", Map.of());
        Map<String, Object> ended = awaitEnded("c-together");
        assertThat(paths(ended)).containsExactly("both=Success", "a=Success", "b=Success", "after=Success");
        assertThat(commandsFor("c-together").stream().filter(c -> c.stepId().equals("after"))).hasSize(1);
        given().get("/api/workspaces/" + WS + "/instances/" + ended.get("id") + "/ignored-results")
                .then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    void delayIsADurableTimerAndAMissingResultTimesOut() {
        createActive("""
                {"name": "delay", "trigger": {"type": "Card.Completed"},
                 "steps": [{"id": "wait", "action": "Delay", "config": {"duration": "PT1S"}},
                           {"id": "slow", "action": "ContactAddToList", "config": {"list": "L"}, "timeout": "PT1S",
                            "paths": {"Failure": [{"id": "fallback", "action": "ContactAddToList",
                                                   "config": {"list": "Retry later"}}]}}]}""");
        long start = System.currentTimeMillis();
        send(trigger("Card.Completed", "c-delay", null, Map.of()));
        ActionCommand slow = awaitCommand("c-delay", "slow");
        assertThat(System.currentTimeMillis() - start).isGreaterThanOrEqualTo(1000);
        // no reply: after the step's 1 s deadline it takes Failure with Timeout
        ActionCommand fallback = awaitCommand("c-delay", "fallback");
        reply(slow, "Success", Map.of()); // late: recorded as ignored, changes nothing
        reply(fallback, "Success", Map.of());
        Map<String, Object> done = awaitEnded("c-delay");
        assertThat(paths(done)).containsExactly("wait=Success", "slow=Failure", "fallback=Success");
        given().get("/api/workspaces/" + WS + "/instances/" + done.get("id")).then()
                .body("steps[1].error.code", equalTo("Timeout"));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> given()
                .get("/api/workspaces/" + WS + "/instances/" + done.get("id") + "/ignored-results").then()
                .extract().jsonPath().getList("commandId").contains(slow.commandId()));
    }

    @Test
    void cancelStopsAnInstanceAndReentryOnceStartsOnlyOne() {
        createActive("""
                {"name": "once", "trigger": {"type": "Contact.Identified"}, "reentry": "once",
                 "steps": [{"id": "s", "action": "ContactAddToList", "config": {"list": "L"}}]}""");
        send(trigger("Contact.Identified", "c-once", null, Map.of()));
        awaitCommand("c-once", "s");
        String id = (String) instanceOf("c-once").get("id");
        given().post("/api/workspaces/" + WS + "/instances/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled")).body("steps[0].status", equalTo("cancelled"));
        given().post("/api/workspaces/" + WS + "/instances/" + id + "/cancel").then().statusCode(409);
        send(trigger("Contact.Identified", "c-once", null, Map.of()));
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                given().queryParam("contactId", "c-once").get("/api/workspaces/" + WS + "/instances").then()
                        .extract().jsonPath().getList("$").size() == 1);
    }

    @Test
    void reentryWhileNotRunningWaitsForTheRunningInstanceToEnd() {
        createActive("""
                {"name": "single", "trigger": {"type": "Contact.PropertyUpdated"}, "reentry": "whileNotRunning",
                 "steps": [{"id": "s", "action": "ContactAddToList", "config": {"list": "L"}}]}""");
        send(trigger("Contact.PropertyUpdated", "c-wnr", null, Map.of()));
        ActionCommand first = awaitCommand("c-wnr", "s");
        send(trigger("Contact.PropertyUpdated", "c-wnr", null, Map.of())); // refused: one is running
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                commandsFor("c-wnr").size() == 1);
        reply(first, "Success", Map.of());
        awaitEnded("c-wnr");
        send(trigger("Contact.PropertyUpdated", "c-wnr", null, Map.of())); // accepted: none is running now
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> commandsFor("c-wnr").size() == 2);
    }

    @Test
    void instanceEventsArePublishedOnWorkflowEvents() {
        var events = KAFKA.consumeStrings().fromTopics("workflow.events");
        createActive("""
                {"name": "events", "trigger": {"type": "Webhook.Received"},
                 "steps": [{"id": "s", "action": "ContactAddToList", "config": {"list": "L"}}]}""");
        send(trigger("Webhook.Received", "c-events", null, Map.of()));
        reply(awaitCommand("c-events", "s"), "Success", Map.of("list", "L"));
        awaitEnded("c-events");
        List<WorkflowEvent> mine = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events.getRecords()
                .stream().map(r -> JsonCodec.read(r.value(), WorkflowEvent.class))
                .filter(e -> "c-events".equals(e.contactId())).toList(), l -> l.size() >= 3);
        assertThat(mine).extracting(WorkflowEvent::type).containsExactly(WorkflowEvent.Type.InstanceStarted,
                WorkflowEvent.Type.StepCompleted, WorkflowEvent.Type.InstanceEnded);
        assertThat(mine.get(2).status()).isEqualTo("completed");
        events.close();
    }
}
