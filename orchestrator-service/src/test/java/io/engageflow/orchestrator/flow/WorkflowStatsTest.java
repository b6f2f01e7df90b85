package io.engageflow.orchestrator.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionError;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.auth.Role;
import io.engageflow.testsupport.AuthMatrix;
import io.engageflow.testsupport.AuthMatrix.Call;
import io.engageflow.testsupport.RealInfrastructure;
import io.engageflow.testsupport.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.engageflow.contracts.TriggerEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, workflow statistics: instances by status, per step the count of each path and p50/p95 of its duration,
 * the last failures with their codes; of one version or all; kept up to date by the engine as results arrive.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_orchestrator_test"))
class WorkflowStatsTest extends FlowTestSupport {
    /** Waits as the trigger's data says, then adds to a list; on Failure, to another. */
    private static final String DEFINITION = """
            {"name": "stats", "trigger": {"type": "Webhook.Received"},
             "steps": [{"id": "wait", "action": "Delay", "config": {"duration": "{{trigger.data.wait}}"}},
                       {"id": "send", "action": "ContactAddToList", "config": {"list": "L"},
                        "paths": {"Failure": [{"id": "fallback", "action": "ContactAddToList",
                                               "config": {"list": "Retry"}}]}}]}""";
    /** A wait whose end cannot be computed: the Delay cannot run, the instance fails (InvalidConfig). */
    private static final String TOO_FAR = "PT8784000000000H";

    private String run(String workflowId, String contactId, String wait) {
        send(trigger("Webhook.Received", contactId, null, Map.of("wait", wait)));
        return awaitInstance(workflowId, contactId);
    }

    private JsonPath stats(String workflowId, String query) {
        return given().get("/api/workspaces/" + WS + "/workflows/" + workflowId + "/stats" + query).then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void countsEveryPathAndStatusListsTheFailuresWithTheirCodesAndSeparatesVersions() {
        String wf = createActive(DEFINITION);
        // nothing has run yet: every status at 0, no steps, no failures
        JsonPath empty = stats(wf, "");
        assertThat(empty.getMap("instances")).isEqualTo(Map.of("running", 0, "completed", 0, "failed", 0,
                "cancelled", 0));
        assertThat(empty.getMap("steps")).isEmpty();
        assertThat(empty.getList("recentFailures")).isEmpty();

        // two runs along Success
        for (String contact : List.of("c-ok-1", "c-ok-2")) {
            String id = run(wf, contact, "PT0S");
            reply(awaitCommand(id, "send"), "Success", Map.of());
            awaitEnded(id, "completed");
        }
        // a Delay that cannot run: the instance fails with InvalidConfig
        String failed = run(wf, "c-far", TOO_FAR);
        awaitEnded(failed, "failed");
        // the action fails with a code, the Failure path's step runs
        String recovered = run(wf, "c-fail", "PT0S");
        ActionCommand toFail = awaitCommand(recovered, "send");
        replyAll(List.of(new ActionResult(toFail.commandId(), recovered, "send", toFail.action(), "Failure",
                Map.of(), new ActionError("ProviderError", "the list service is down"), Instant.now())));
        reply(awaitCommand(recovered, "fallback"), "Success", Map.of());
        awaitEnded(recovered, "completed");
        // one cancelled while its action runs, one left running
        String cancelled = run(wf, "c-cancel", "PT0S");
        awaitCommand(cancelled, "send");
        given().post("/api/workspaces/" + WS + "/instances/" + cancelled + "/cancel").then().statusCode(200);
        String running = run(wf, "c-running", "PT0S");
        awaitCommand(running, "send");

        // the counters are written with the instances: what the instance views show is counted already
        JsonPath v1 = stats(wf, "");
        assertThat(v1.getMap("instances")).isEqualTo(Map.of("running", 1, "completed", 3, "failed", 1,
                "cancelled", 1));
        assertThat(v1.getMap("steps.wait.paths")).isEqualTo(Map.of("Success", 5, "Failure", 1));
        // the cancelled and the running instances' "send" took no path (yet)
        assertThat(v1.getMap("steps.send.paths")).isEqualTo(Map.of("Success", 2, "Failure", 1));
        assertThat(v1.getMap("steps.fallback.paths")).isEqualTo(Map.of("Success", 1));
        assertThat(v1.getMap("steps")).containsOnlyKeys("wait", "send", "fallback");
        // a Delay of PT0S ends the moment it starts; a PT0S that failed too: every wait took 0 ms
        assertThat(v1.getLong("steps.wait.p50Ms")).isZero();
        assertThat(v1.getLong("steps.wait.p95Ms")).isZero();
        // the action steps took as long as this test took to answer: present, and p50 <= p95
        assertThat(v1.getLong("steps.send.p50Ms")).isNotNull().isLessThanOrEqualTo(v1.getLong("steps.send.p95Ms"));
        assertThat(v1.getLong("steps.fallback.p50Ms")).isNotNull();
        // newest first, each with its step, code and message
        List<Map<String, Object>> failures = v1.getList("recentFailures");
        assertThat(failures).extracting(f -> f.get("instanceId"), f -> f.get("stepId"), f -> f.get("code"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(recovered, "send", "ProviderError"),
                        org.assertj.core.groups.Tuple.tuple(failed, "wait", "InvalidConfig"));
        assertThat(failures.get(0).get("message")).isEqualTo("the list service is down");
        assertThat(String.valueOf(failures.get(1).get("message"))).startsWith("Delay has no valid time");
        assertThat(failures).allSatisfy(f -> assertThat(f.get("at")).isNotNull());

        // version 2: its runs count apart, and together with version 1's
        given().contentType("application/json").body(DEFINITION).put("/api/workspaces/" + WS + "/workflows/" + wf)
                .then().statusCode(200).body("version", equalTo(2));
        String onV2 = run(wf, "c-v2", "PT0S");
        ActionCommand v2Send = awaitCommand(onV2, "send");
        assertThat(v2Send.commandId()).isNotNull();
        reply(v2Send, "Success", Map.of());
        awaitEnded(onV2, "completed");

        JsonPath v2 = stats(wf, "?version=2");
        assertThat(v2.getMap("instances")).isEqualTo(Map.of("running", 0, "completed", 1, "failed", 0,
                "cancelled", 0));
        assertThat(v2.getMap("steps.wait.paths")).isEqualTo(Map.of("Success", 1));
        assertThat(v2.getMap("steps.send.paths")).isEqualTo(Map.of("Success", 1));
        assertThat(v2.getMap("steps")).containsOnlyKeys("wait", "send");
        assertThat(v2.getList("recentFailures")).isEmpty();
        JsonPath onlyV1 = stats(wf, "?version=1");
        assertThat(onlyV1.getMap("instances")).isEqualTo(v1.getMap("instances"));
        assertThat(onlyV1.getMap("steps.send.paths")).isEqualTo(Map.of("Success", 2, "Failure", 1));
        assertThat(onlyV1.getList("recentFailures")).hasSize(2);
        JsonPath all = stats(wf, "");
        assertThat(all.getMap("instances")).isEqualTo(Map.of("running", 1, "completed", 4, "failed", 1,
                "cancelled", 1));
        assertThat(all.getMap("steps.send.paths")).isEqualTo(Map.of("Success", 3, "Failure", 1));
        assertThat(all.getMap("steps.wait.paths")).isEqualTo(Map.of("Success", 6, "Failure", 1));
        assertThat(all.getList("recentFailures")).hasSize(2);

        // a version that does not exist, or is not a number
        given().get("/api/workspaces/" + WS + "/workflows/" + wf + "/stats?version=3").then().statusCode(404)
                .body("error", equalTo("not_found"));
        given().get("/api/workspaces/" + WS + "/workflows/" + wf + "/stats?version=two").then().statusCode(400)
                .body("error", notNullValue());
    }

    @Test
    void resultsDecidedConcurrentlyOnEveryPartitionAreEachCountedOnce() {
        String wf = createActive(DEFINITION);
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 24; n++) {
            ids.add(run(wf, "c-many-" + n, "PT0S"));
        }
        // all results at once, keyed by instance: spread over the partitions, decided by the consumers in parallel,
        // each batch adding to the same counters
        replyAll(ids.stream().map(id -> result(awaitCommand(id, "send"), "Success")).toList());
        ids.forEach(id -> awaitEnded(id, "completed"));
        JsonPath stats = stats(wf, "");
        assertThat(stats.getMap("instances")).isEqualTo(Map.of("running", 0, "completed", 24, "failed", 0,
                "cancelled", 0));
        assertThat(stats.getMap("steps.send.paths")).isEqualTo(Map.of("Success", 24));
        assertThat(stats.getMap("steps.wait.paths")).isEqualTo(Map.of("Success", 24));
    }

    @Test
    void theLast20FailuresAreListedNewestFirst() {
        String wf = createActive(DEFINITION);
        // one contact, so one partition: the 25 triggers are decided in this order, each failing its instance
        TriggerEvent[] triggers = new TriggerEvent[25];
        for (int n = 0; n < triggers.length; n++) {
            triggers[n] = trigger("Webhook.Received", "c-failing", null, Map.of("wait", TOO_FAR));
        }
        List<String> ids = startInOrder(wf, triggers);
        ids.forEach(id -> awaitEnded(id, "failed"));
        JsonPath stats = stats(wf, "");
        assertThat(stats.getMap("instances")).containsEntry("failed", 25);
        List<String> newestFirst = new ArrayList<>(ids.subList(5, 25));
        Collections.reverse(newestFirst);
        assertThat(stats.getList("recentFailures.instanceId")).isEqualTo(newestFirst);
        assertThat(stats.getList("recentFailures.code")).containsOnly("InvalidConfig");
    }

    @Test
    void anUnknownWorkflowIs404AndAnotherWorkspacesWorkflowIsUnknown() {
        given().get("/api/workspaces/" + WS + "/workflows/no-such-workflow/stats").then().statusCode(404)
                .body("error", equalTo("not_found")).body("message", notNullValue());
        String wf = createActive(DEFINITION);
        given().get("/api/workspaces/other-" + WS + "/workflows/" + wf + "/stats").then().statusCode(404);
    }

    @Test
    void readersMayReadStatisticsOthersMayNot() {
        // no key 401, a key of another workspace 404, a publisher 403; a reader gets the endpoint's answer (404:
        // the matrix's workspace is new, so it has no workflow)
        AuthMatrix.verify(List.of(Call.get("/api/workspaces/{ws}/workflows/none/stats", Role.READER, 404)));
        // and a reader of a workspace with the workflow reads its statistics
        String wf = createActive(DEFINITION);
        String reader = AuthMatrix.grant(WS, Role.READER).key();
        TestKeys.withKey(reader).get("/api/workspaces/" + WS + "/workflows/" + wf + "/stats").then()
                .statusCode(200).body("instances.running", equalTo(0));
    }
}
