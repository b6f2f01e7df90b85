package io.engageflow.orchestrator.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.WorkflowEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.RealInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Each flow-control feature on the real broker and database, the test playing the action services. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_orchestrator_test"))
class FlowFeaturesTest extends FlowTestSupport {

    @Inject
    MeterRegistry metrics;

    /** Triggers the orchestrator decided not to start because the workflow's reentry rule refused them. */
    private double reentrySkips() {
        Counter c = metrics.find("engageflow.triggers.skipped").tag("reason", "reentry").counter();
        return c == null ? 0 : c.count();
    }

    private static Instant time(Object json) {
        return Instant.parse(String.valueOf(json));
    }

    @Test
    void decisionTakesTheFirstCaseThatHoldsElseTheDefault() {
        String wf = createActive("""
                {"name": "tiers", "trigger": {"type": "Loyalty.PointsAwarded"},
                 "steps": [{"id": "tier", "action": "Decision", "config": {"cases": [
                     {"when": "contact.properties.total_points >= 1000", "path": "Gold"},
                     {"when": "contact.properties.total_points >= 500", "path": "Silver"}], "default": "Bronze"},
                   "paths": {"Gold": [{"id": "gold", "action": "LoyaltyAddToTier", "config": {"tier": "Gold"}}],
                             "Bronze": [{"id": "bronze", "action": "LoyaltyAddToTier", "config": {"tier": "Bronze"}}]}}]}""");

        // 1500 holds both cases: the first one is taken
        String gold = startFor(wf, "c-gold", 1500);
        reply(awaitCommand(gold, "gold"), "Success", Map.of());
        Map<String, Object> goldEnded = awaitEnded(gold, "completed");
        assertThat(paths(goldEnded)).containsExactly("tier=Gold", "gold=Success");
        assertThat(step(goldEnded, "tier").get("outputs")).isEqualTo(Map.of("path", "Gold"));

        // Silver has no block: the instance completes with the Decision alone, no command sent
        String silver = startFor(wf, "c-silver", 600);
        assertThat(paths(awaitEnded(silver, "completed"))).containsExactly("tier=Silver");

        // no case holds: the default, and its block runs
        String bronze = startFor(wf, "c-bronze", 100);
        ActionCommand toBronze = awaitCommand(bronze, "bronze");
        assertThat(toBronze.config()).containsEntry("tier", "Bronze");
        reply(toBronze, "Success", Map.of());
        Map<String, Object> bronzeEnded = awaitEnded(bronze, "completed");
        assertThat(paths(bronzeEnded)).containsExactly("tier=Bronze", "bronze=Success");
        assertThat(step(bronzeEnded, "tier").get("outputs")).isEqualTo(Map.of("path", "Bronze"));

        assertThat(commandsOf(gold)).extracting(ActionCommand::stepId).containsExactly("gold");
        assertThat(commandsOf(bronze)).extracting(ActionCommand::stepId).containsExactly("bronze");
    }

    private String startFor(String workflowId, String contactId, int totalPoints) {
        send(trigger("Loyalty.PointsAwarded", new ContactSnapshot(contactId, null, null, null, null,
                Map.of("total_points", totalPoints)), Map.of()));
        return awaitInstance(workflowId, contactId);
    }

    /** Split into branches a and b, joined before the step "after". */
    private String createSplitWorkflow(String name) {
        return createActive("""
                {"name": "%s", "trigger": {"type": "Prize.Awarded"},
                 "steps": [{"id": "both", "action": "Split", "branches": [
                             [{"id": "a", "action": "AssignContactAchievement", "config": {"achievement": "Winner"}}],
                             [{"id": "b", "action": "ContactAddToList", "config": {"list": "Winners"}}]]},
                           {"id": "after", "action": "LoyaltyAwardPoints", "config": {"points": 5}}]}"""
                .formatted(name));
    }

    @Test
    void splitRunsBranchesInParallelAndJoinsBeforeTheNextStep() {
        String wf = createSplitWorkflow("split");
        send(trigger("Prize.Awarded", "c-split", "a@b.co", Map.of()));
        String id = awaitInstance(wf, "c-split");
        ActionCommand a = awaitCommand(id, "a");
        ActionCommand b = awaitCommand(id, "b");
        reply(a, "Success", Map.of());
        // a's result applied; "after" would have started in that same transaction had the join not waited for b
        Map<String, Object> half = Awaitility.await().atMost(WAIT).until(() -> instance(id),
                i -> "completed".equals(step(i, "a").get("status")));
        assertThat(paths(half)).containsExactly("both=null", "a=Success", "b=null");
        reply(b, "Failure", Map.of());
        reply(awaitCommand(id, "after"), "Success", Map.of());
        assertThat(paths(awaitEnded(id, "completed"))).containsExactly("both=Success", "a=Success", "b=Failure",
                "after=Success");
        assertThat(commandsOf(id)).extracting(ActionCommand::stepId).containsExactlyInAnyOrder("a", "b", "after");
    }

    @Test
    void branchResultsArrivingTogetherWithADuplicateJoinOnce() {
        String wf = createSplitWorkflow("split-together");
        send(trigger("Prize.Awarded", "c-together", "a@b.co", Map.of()));
        String id = awaitInstance(wf, "c-together");
        ActionCommand a = awaitCommand(id, "a");
        ActionCommand b = awaitCommand(id, "b");
        // one produce call: the three records land in one poll, so the orchestrator applies them in one batch
        replyAll(List.of(result(a, "Success"), result(b, "Success"), result(a, "Success")));
        reply(awaitCommand(id, "after"), "Success", Map.of());
        Map<String, Object> ended = awaitEnded(id, "completed");
        assertThat(paths(ended)).containsExactly("both=Success", "a=Success", "b=Success", "after=Success");
        assertThat(commandsOf(id).stream().filter(c -> c.stepId().equals("after"))).hasSize(1);
        given().get("/api/workspaces/" + WS + "/instances/" + id + "/ignored-results")
                .then().statusCode(200).body("size()", equalTo(1)).body("[0].commandId", equalTo(a.commandId()));
    }

    @Test
    void delayIsADurableTimerAndAMissingResultTimesOut() {
        String wf = createActive("""
                {"name": "delay", "trigger": {"type": "Card.Completed"},
                 "steps": [{"id": "wait", "action": "Delay", "config": {"duration": "PT1S"}},
                           {"id": "slow", "action": "ContactAddToList", "config": {"list": "L"}, "timeout": "PT1S",
                            "paths": {"Failure": [{"id": "fallback", "action": "ContactAddToList",
                                                   "config": {"list": "Retry later"}}]}}]}""");
        send(trigger("Card.Completed", "c-delay", null, Map.of()));
        String id = awaitInstance(wf, "c-delay");
        ActionCommand slow = awaitCommand(id, "slow");
        // no reply: after the step's 1 s deadline it takes Failure with Timeout
        ActionCommand fallback = awaitCommand(id, "fallback");
        reply(slow, "Success", Map.of()); // late: recorded as ignored, changes nothing
        reply(fallback, "Success", Map.of());
        Map<String, Object> done = awaitEnded(id, "completed");
        assertThat(paths(done)).containsExactly("wait=Success", "slow=Failure", "fallback=Success");

        // the Delay, on the instance's own clock: from its start to the Delay's end, then the next step's dispatch
        Instant waitEnded = time(step(done, "wait").get("endedAt"));
        assertThat(Duration.between(time(done.get("startedAt")), waitEnded))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        Instant slowStarted = time(step(done, "slow").get("startedAt"));
        assertThat(slowStarted).isAfterOrEqualTo(waitEnded);
        // the deadline the command carried is the step's 1 s timeout, and it took Failure no sooner
        assertThat(slow.deadline()).isCloseTo(slowStarted.plusSeconds(1), within(1, ChronoUnit.MILLIS));
        assertThat(time(step(done, "slow").get("endedAt"))).isAfterOrEqualTo(slow.deadline());
        given().get("/api/workspaces/" + WS + "/instances/" + id).then()
                .body("steps[1].error.code", equalTo("Timeout"));
        Awaitility.await().atMost(WAIT).until(() -> given()
                .get("/api/workspaces/" + WS + "/instances/" + id + "/ignored-results").then()
                .extract().jsonPath().getList("commandId").contains(slow.commandId()));
    }

    @Test
    void aDelayWhoseTimeCannotBeComputedFailsTheInstanceAndLaterTriggersStillRun() {
        String wf = createActive("""
                {"name": "wait as told", "trigger": {"type": "Webhook.Received"},
                 "steps": [{"id": "wait", "action": "Delay", "config": {"duration": "{{trigger.data.wait}}"}},
                           {"id": "after", "action": "ContactAddToList", "config": {"list": "L"}}]}""");
        // a million years: Duration parses it, the instant it gives does not exist
        TriggerEvent tooFar = trigger("Webhook.Received", "c-far", null, Map.of("wait", "PT8784000000000H"));
        TriggerEvent soon = trigger("Webhook.Received", "c-far", null, Map.of("wait", "PT0S"));
        List<String> ids = startInOrder(wf, tooFar, soon); // the second is decided only after the first
        String failed = ids.get(0);
        String ok = ids.get(1);

        Map<String, Object> failedEnded = awaitEnded(failed, "failed");
        assertThat(paths(failedEnded)).containsExactly("wait=Failure");
        assertThat(step(failedEnded, "wait").get("status")).isEqualTo("failed");
        assertThat(step(failedEnded, "wait")).extracting("error").extracting("code").isEqualTo("InvalidConfig");

        reply(awaitCommand(ok, "after"), "Success", Map.of());
        assertThat(paths(awaitEnded(ok, "completed"))).containsExactly("wait=Success", "after=Success");
        assertThat(commandsOf(failed)).isEmpty();
    }

    @Test
    void cancelStopsAnInstanceAndReentryOnceStartsOnlyOne() {
        String wf = createActive("""
                {"name": "once", "trigger": {"type": "Contact.Identified"}, "reentry": "once",
                 "steps": [{"id": "s", "action": "ContactAddToList", "config": {"list": "L"}}]}""");
        send(trigger("Contact.Identified", "c-once", null, Map.of()));
        String id = awaitInstance(wf, "c-once");
        ActionCommand s = awaitCommand(id, "s");
        given().post("/api/workspaces/" + WS + "/instances/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled")).body("steps[0].status", equalTo("cancelled"));
        given().post("/api/workspaces/" + WS + "/instances/" + id + "/cancel").then().statusCode(409);
        reply(s, "Success", Map.of()); // after the cancel: ignored

        double skipped = reentrySkips();
        send(trigger("Contact.Identified", "c-once", null, Map.of())); // refused: once per contact, cancelled or not
        awaitTriggersDecided("c-once");
        assertThat(instances(wf, "c-once")).extracting(i -> i.get("id")).containsExactly(id);
        assertThat(reentrySkips()).isEqualTo(skipped + 1);
        Awaitility.await().atMost(WAIT).until(() -> given()
                .get("/api/workspaces/" + WS + "/instances/" + id + "/ignored-results").then()
                .extract().jsonPath().getList("commandId").contains(s.commandId()));
        assertThat(instance(id).get("status")).isEqualTo("cancelled");
    }

    @Test
    void reentryWhileNotRunningWaitsForTheRunningInstanceToEnd() {
        String wf = createActive("""
                {"name": "single", "trigger": {"type": "Contact.PropertyUpdated"}, "reentry": "whileNotRunning",
                 "steps": [{"id": "s", "action": "ContactAddToList", "config": {"list": "L"}}]}""");
        send(trigger("Contact.PropertyUpdated", "c-wnr", null, Map.of()));
        String first = awaitInstance(wf, "c-wnr");
        ActionCommand firstCommand = awaitCommand(first, "s");

        double skipped = reentrySkips();
        send(trigger("Contact.PropertyUpdated", "c-wnr", null, Map.of())); // refused: one is running
        awaitTriggersDecided("c-wnr");
        assertThat(instances(wf, "c-wnr")).extracting(i -> i.get("id")).containsExactly(first);
        assertThat(reentrySkips()).isEqualTo(skipped + 1);

        reply(firstCommand, "Success", Map.of());
        awaitEnded(first, "completed");
        TriggerEvent third = trigger("Contact.PropertyUpdated", "c-wnr", null, Map.of());
        send(third); // accepted: none is running now
        List<Map<String, Object>> two = Awaitility.await().atMost(WAIT)
                .until(() -> instances(wf, "c-wnr"), l -> l.size() == 2);
        String second = idOf(two, third);
        reply(awaitCommand(second, "s"), "Success", Map.of());
        assertThat(paths(awaitEnded(second, "completed"))).containsExactly("s=Success");
    }

    @Test
    void instanceEventsArePublishedOnWorkflowEvents() {
        var events = consumeFromEnd(List.of(Topics.WORKFLOW_EVENTS));
        String wf = createActive("""
                {"name": "events", "trigger": {"type": "Webhook.Received"},
                 "steps": [{"id": "s", "action": "ContactAddToList", "config": {"list": "L"}}]}""");
        send(trigger("Webhook.Received", "c-events", null, Map.of()));
        String id = awaitInstance(wf, "c-events");
        reply(awaitCommand(id, "s"), "Success", Map.of("list", "L"));
        awaitEnded(id, "completed");
        List<WorkflowEvent> mine = Awaitility.await().atMost(WAIT).until(() -> events.getRecords()
                .stream().map(r -> JsonCodec.read(r.value(), WorkflowEvent.class))
                .filter(e -> id.equals(e.instanceId())).toList(), l -> l.size() >= 3);
        assertThat(mine).extracting(WorkflowEvent::type).containsExactly(WorkflowEvent.Type.InstanceStarted,
                WorkflowEvent.Type.StepCompleted, WorkflowEvent.Type.InstanceEnded);
        assertThat(mine).allSatisfy(e -> {
            assertThat(e.workflowId()).isEqualTo(wf);
            assertThat(e.contactId()).isEqualTo("c-events");
            assertThat(e.version()).isEqualTo(1);
        });
        WorkflowEvent stepDone = mine.get(1);
        assertThat(stepDone.stepId()).isEqualTo("s");
        assertThat(stepDone.path()).isEqualTo("Success");
        assertThat(stepDone.outputs()).isEqualTo(Map.of("list", "L"));
        assertThat(mine.get(2).status()).isEqualTo("completed");
    }
}
