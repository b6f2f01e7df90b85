package io.engageflow.orchestrator.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionError;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.auth.Role;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.AuthMatrix;
import io.engageflow.testsupport.AuthMatrix.Call;
import io.engageflow.testsupport.RealInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Runs an admin can act on (CONTRACT.md): pause and resume, replay, retry of a failed step, bulk replay of failed
 * runs and test runs, on the real broker and database, the test playing the action services.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_orchestrator_test"))
class AdminRunsFlowTest extends FlowTestSupport {
    private static final String HOOK = """
            {"name": "hook", "trigger": {"type": "Webhook.Received"},
             "steps": [{"id": "call", "action": "HttpRequest", "config": {"url": "https://example.com/%s",
                        "method": "POST"}}]}""";
    /** Three action steps in a row: a failure of the middle one shows what a retry re-sends. */
    private static final String THREE = """
            {"name": "three", "trigger": {"type": "Webhook.Received"},
             "steps": [{"id": "a", "action": "ContactAddToList", "config": {"list": "a"}},
                       {"id": "b", "action": "HttpRequest", "config": {"url": "https://example.com/b"}},
                       {"id": "c", "action": "ContactAddToList", "config": {"list": "c"}}]}""";

    @Inject
    MeterRegistry metrics;

    private double pausedSkips() {
        Counter c = metrics.find("engageflow.triggers.skipped").tag("reason", "paused").counter();
        return c == null ? 0 : c.count();
    }

    private String path(String rest) {
        return "/api/workspaces/" + WS + rest;
    }

    private TriggerEvent webhook(String contactId) {
        return trigger("Webhook.Received", contactId, null, Map.of());
    }

    /** A result the action service parked: the engine could not run the step, and its instance fails. */
    private static void deadLetter(ActionCommand c) {
        replyAll(List.of(new ActionResult(c.commandId(), c.instanceId(), c.stepId(), c.action(), "Failure",
                Map.of(), new ActionError(ErrorCodes.DEAD_LETTERED, "parked"), Instant.now())));
    }

    /** A started instance of the workflow for the contact, failed at its only step. */
    private String failedRun(String wf, String contactId) {
        send(webhook(contactId));
        String id = awaitInstance(wf, contactId);
        deadLetter(awaitCommand(id, "call"));
        awaitEnded(id, "failed");
        return id;
    }

    // ---------------------------------------------------------------- pause / resume

    @Test
    void aPausedWorkflowStartsNothingLetsRunningInstancesGoOnAndResumes() {
        String wf = createActive(HOOK.formatted("p"));
        send(webhook("c-before"));
        String running = awaitInstance(wf, "c-before");
        ActionCommand call = awaitCommand(running, "call");

        double skippedBefore = pausedSkips();
        given().post(path("/workflows/" + wf + "/pause")).then().statusCode(200).body("status", equalTo("paused"));
        given().get(path("/workflows/" + wf)).then().body("status", equalTo("paused"));

        send(webhook("c-paused"));
        Awaitility.await().atMost(WAIT).until(() -> pausedSkips() >= skippedBefore + 1);
        awaitTriggersDecided("c-paused");
        assertThat(instances(wf, "c-paused")).isEmpty();

        // the instance that was running when the workflow was paused goes on to its end
        reply(call, "Success", Map.of("status", 200));
        awaitEnded(running, "completed");

        // only a paused workflow resumes, only an active one pauses
        given().post(path("/workflows/" + wf + "/resume")).then().statusCode(200).body("status", equalTo("active"));
        given().post(path("/workflows/" + wf + "/resume")).then().statusCode(409)
                .body("error", equalTo("conflict")).body("message", notNullValue());
        send(webhook("c-after"));
        awaitCommand(awaitInstance(wf, "c-after"), "call");

        String draft = create(HOOK.formatted("draft"));
        given().post(path("/workflows/" + draft + "/pause")).then().statusCode(409)
                .body("error", equalTo("conflict")).body("message", notNullValue()).body("details", notNullValue());
        given().post(path("/workflows/" + wf + "/deactivate")).then().statusCode(200);
        given().post(path("/workflows/" + wf + "/pause")).then().statusCode(409);
        given().post(path("/workflows/no-such/pause")).then().statusCode(404);
    }

    // ---------------------------------------------------------------- replay

    @Test
    void aReplayedFailureRunsAgainWithNewCommandsAndEndsSuccess() {
        String wf = createActive(HOOK.formatted("v1"));
        send(webhook("c-replay"));
        String original = awaitInstance(wf, "c-replay");
        ActionCommand first = awaitCommand(original, "call");
        reply(first, "Failure", Map.of("status", 503));
        awaitEnded(original, "completed");

        // the receiver recovered, and the workflow has a version 2 meanwhile
        given().contentType("application/json").body(HOOK.formatted("v2")).put(path("/workflows/" + wf))
                .then().statusCode(200);

        Map<String, Object> replay = given().post(path("/instances/" + original + "/replay")).then()
                .statusCode(201).body("replayOf", equalTo(original)).body("effectsRepeat", equalTo(true))
                .body("version", equalTo(2)).body("status", equalTo("running"))
                .extract().path("$");
        String replayId = replay.get("id").toString();
        assertThat(replayId).isNotEqualTo(original);
        ActionCommand again = awaitCommand(replayId, "call");
        assertThat(again.commandId()).isNotEqualTo(first.commandId()).startsWith(replayId + ":");
        assertThat(again.config()).containsEntry("url", "https://example.com/v2");
        assertThat(again.trigger().eventId()).isEqualTo(first.trigger().eventId());
        reply(again, "Success", Map.of("status", 200));
        Map<String, Object> ended = awaitEnded(replayId, "completed");
        assertThat(paths(ended)).containsExactly("call=Success");
        assertThat(ended.get("replayOf")).isEqualTo(original);

        // ?version=original replays the version the original ran
        String onV1 = given().queryParam("version", "original").post(path("/instances/" + original + "/replay"))
                .then().statusCode(201).body("version", equalTo(1)).body("replayOf", equalTo(original))
                .extract().path("id");
        assertThat(awaitCommand(onV1, "call").config()).containsEntry("url", "https://example.com/v1");

        // a running instance is not replayed; an unknown one, or another workspace's, is not found
        given().post(path("/instances/" + onV1 + "/replay")).then().statusCode(409).body("error", equalTo("conflict"));
        given().post(path("/instances/no-such/replay")).then().statusCode(404);
        given().post("/api/workspaces/other-" + WS + "/instances/" + original + "/replay").then().statusCode(404);
        given().queryParam("version", "3").post(path("/instances/" + original + "/replay")).then().statusCode(400);
    }

    @Test
    void retryStepResendsOnlyTheFailedStepWithItsNextAttemptAndGoesOn() {
        String wf = createActive(THREE);
        send(webhook("c-retry"));
        String id = awaitInstance(wf, "c-retry");
        reply(awaitCommand(id, "a"), "Success", Map.of());
        ActionCommand b1 = awaitCommand(id, "b");
        deadLetter(b1);
        awaitEnded(id, "failed");

        Map<String, Object> retried = given().post(path("/instances/" + id + "/retry-step")).then().statusCode(200)
                .body("status", equalTo("running")).extract().path("$");
        assertThat(step(retried, "b").get("status")).isEqualTo("running");
        assertThat(step(retried, "b").get("attempts")).isEqualTo(2);
        assertThat(step(retried, "a").get("status")).isEqualTo("completed");

        ActionCommand b2 = Awaitility.await().atMost(WAIT).until(() -> commandsOf(id).stream()
                .filter(c -> c.stepId().equals("b") && c.attempt() == 2).findFirst().orElse(null), c -> c != null);
        assertThat(b2.commandId()).isEqualTo(id + ":b:2").isNotEqualTo(b1.commandId());
        reply(b2, "Success", Map.of("status", 200));
        reply(awaitCommand(id, "c"), "Success", Map.of());
        Map<String, Object> ended = awaitEnded(id, "completed");
        assertThat(paths(ended)).containsExactly("a=Success", "b=Success", "c=Success");
        // a ran once: the retry re-sent only the failed step
        assertThat(commandsOf(id)).extracting(ActionCommand::commandId)
                .containsExactly(id + ":a:1", id + ":b:1", id + ":b:2", id + ":c:1");

        // nothing to retry in a completed instance
        given().post(path("/instances/" + id + "/retry-step")).then().statusCode(409)
                .body("error", equalTo("conflict"));
        given().post(path("/instances/no-such/retry-step")).then().statusCode(404);
    }

    @Test
    void replayFailedReplaysOnlyTheFailedRunsOfTheRangeOnce() {
        String wf = createActive(HOOK.formatted("bulk"));
        String before = failedRun(wf, "c-early");
        Instant from = Instant.now();
        String f1 = failedRun(wf, "c-f1");
        String f2 = failedRun(wf, "c-f2");
        send(webhook("c-ok"));
        String ok = awaitInstance(wf, "c-ok");
        reply(awaitCommand(ok, "call"), "Failure", Map.of("status", 500)); // completed: not a failed run
        awaitEnded(ok, "completed");
        Instant to = Instant.now();

        given().contentType("application/json").body(Map.of("from", from.toString(), "to", to.toString(),
                        "perSecond", 50)).post(path("/workflows/" + wf + "/replay-failed"))
                .then().statusCode(202).body("count", equalTo(2));

        List<Map<String, Object>> replays = Awaitility.await().atMost(WAIT).until(() -> given()
                .queryParam("workflowId", wf).get(path("/instances")).then().statusCode(200).extract()
                .<List<Map<String, Object>>>path("$").stream().filter(i -> i.get("replayOf") != null).toList(),
                l -> l.size() == 2);
        assertThat(replays).extracting(i -> i.get("replayOf")).containsExactlyInAnyOrder(f1, f2)
                .doesNotContain(before, ok);
        replays.forEach(r -> awaitCommand(r.get("id").toString(), "call"));

        // asked again (as after a crash mid-way), runs that have a replay are not replayed twice
        given().contentType("application/json").body(Map.of("from", from.toString(), "to", to.toString()))
                .post(path("/workflows/" + wf + "/replay-failed")).then().statusCode(202).body("count", equalTo(0));
        given().contentType("application/json").body(Map.of("from", from.toString(), "to", to.toString(),
                "perSecond", 51)).post(path("/workflows/" + wf + "/replay-failed")).then().statusCode(400);
        given().contentType("application/json").body(Map.of("from", to.toString(), "to", from.toString()))
                .post(path("/workflows/" + wf + "/replay-failed")).then().statusCode(400);
    }

    // ---------------------------------------------------------------- test runs

    private static final String LEAD = """
            {"name": "lead", "trigger": {"type": "Webhook.Received"},
             "steps": [{"id": "lead", "action": "HttpRequest", "config": {"url": "https://crm.example.com/leads"},
                        "paths": {"Failure": [{"id": "sorry", "action": "ContactEmailSend",
                                               "config": {"subject": "Sorry", "body": "we could not reach you"}}],
                                  "Success": [{"id": "welcome", "action": "ContactEmailSend",
                                               "config": {"subject": "Welcome", "body": "hi"}}]}},
                       {"id": "wait", "action": "Delay", "config": {"duration": "PT24H"}},
                       {"id": "points", "action": "LoyaltyAwardPoints", "config": {"points": 5}}]}""";

    /** The workspace's commands for the step, sent from the test's start on. */
    private ActionCommand awaitWorkspaceCommand(String stepId) {
        return Awaitility.await().atMost(WAIT).until(() -> commands.getRecords().stream()
                .map(r -> JsonCodec.read(r.value(), ActionCommand.class))
                .filter(c -> WS.equals(c.workspaceId()) && stepId.equals(c.stepId())).findFirst().orElse(null),
                c -> c != null);
    }

    @Test
    void aTestRunTakesTheForcedPathSendsTestCommandsAndIsKeptApart() throws Exception {
        String wf = create(LEAD); // a draft: a test run needs no activation
        String body = JsonCodec.encode(Map.of("trigger", Map.of("contact", Map.of("id", "c-test",
                "email", "t@example.com"), "data", Map.of()), "forcePaths", Map.of("lead", "Failure")));
        CompletableFuture<Map<String, Object>> answer = CompletableFuture.supplyAsync(() -> given()
                .contentType("application/json").body(body).post(path("/workflows/" + wf + "/test"))
                .then().statusCode(200).extract().path("$"));

        ActionCommand sorry = awaitWorkspaceCommand("sorry");
        assertThat(sorry.test()).isTrue();
        reply(sorry, "Success", Map.of());
        ActionCommand points = awaitWorkspaceCommand("points"); // the Delay passed at once
        assertThat(points.test()).isTrue();
        reply(points, "Success", Map.of());

        Map<String, Object> run = answer.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
        String id = run.get("id").toString();
        assertThat(run.get("test")).isEqualTo(true);
        assertThat(run.get("status")).isEqualTo("completed");
        assertThat(paths(run)).containsExactly("lead=Failure", "sorry=Success", "wait=Success", "points=Success");
        assertThat(step(run, "lead").get("outputs")).isEqualTo(Map.of("forced", true));
        assertThat(step(run, "wait").get("outputs")).isEqualTo(Map.of("skipped", "test run"));
        // the forced step was never sent
        assertThat(commandsOf(id)).extracting(ActionCommand::stepId).containsExactly("sorry", "points");

        // kept apart: not listed unless asked for, not counted
        given().queryParam("workflowId", wf).get(path("/instances")).then().statusCode(200)
                .body("size()", equalTo(0));
        given().queryParam("workflowId", wf).queryParam("test", true).get(path("/instances")).then()
                .statusCode(200).body("id", hasItem(id));
        given().get(path("/workflows/" + wf + "/stats")).then().statusCode(200)
                .body("instances.completed", equalTo(0)).body("instances.running", equalTo(0));

        // a path the step cannot take is refused before anything runs
        given().contentType("application/json").body(JsonCodec.encode(Map.of("trigger", Map.of("contact",
                        Map.of("id", "c-test")), "forcePaths", Map.of("lead", "OfferExpired", "nope", "Success"))))
                .post(path("/workflows/" + wf + "/test")).then().statusCode(422)
                .body("errors.path", hasItem("forcePaths.lead")).body("errors.path", hasItem("forcePaths.nope"));
        given().contentType("application/json").body("{\"trigger\": {}}").post(path("/workflows/" + wf + "/test"))
                .then().statusCode(422);
    }

    @Test
    void onlyAdminsActOnRuns() {
        String range = "{\"from\": \"2026-01-01T00:00:00Z\", \"to\": \"2026-01-02T00:00:00Z\"}";
        AuthMatrix.verify(List.of(
                Call.post("/api/workspaces/{ws}/workflows/none/pause", "", Role.ADMIN, 404),
                Call.post("/api/workspaces/{ws}/workflows/none/resume", "", Role.ADMIN, 404),
                Call.post("/api/workspaces/{ws}/workflows/none/replay-failed", range, Role.ADMIN, 404),
                Call.post("/api/workspaces/{ws}/workflows/none/test", "{\"trigger\": {\"contact\": {\"id\": \"c\"}}}",
                        Role.ADMIN, 404),
                Call.post("/api/workspaces/{ws}/instances/none/replay", "", Role.ADMIN, 404),
                Call.post("/api/workspaces/{ws}/instances/none/retry-step", "", Role.ADMIN, 404)));
    }
}
