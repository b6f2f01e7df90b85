package io.engageflow.orchestrator.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.engageflow.contracts.TriggerEvent;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 (the console's Runs page and its workflows' "runs in the last 24 h"): the instance list filtered by start
 * time, [from, to), and the count of runs per workflow and status started in a time range.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_orchestrator_test"))
class InstanceListFiltersTest extends FlowTestSupport {
    @Inject
    Pool pool;

    private static final String DEFINITION = """
            {"name": "filters", "trigger": {"type": "Webhook.Received"},
             "steps": [{"id": "pause", "action": "Delay", "config": {"duration": "PT0S"}}]}""";

    private List<String> ids(String query) {
        List<Map<String, Object>> found = given().get("/api/workspaces/" + WS + "/instances?" + query).then()
                .statusCode(200).extract().path("$");
        return found.stream().map(i -> (String) i.get("id")).toList();
    }

    private Instant startedAt(String instanceId) {
        return Instant.parse((String) instance(instanceId).get("startedAt"));
    }

    /**
     * The Runs page's query — a workspace's runs started in [from, to), newest first, a page of them — is read in
     * order off the index on (workspace, test, start time): no sort of a workspace's every run. Sequential scans and
     * sorts are ruled out as a large table would rule them out; without that index the plan must still sort.
     */
    @Test
    void theNewestRunsOfATimeRangeAreReadInOrderFromTheStartTimeIndex() {
        Instant from = Instant.now().minusSeconds(86_400);
        String plan = pool.withTransaction(tx -> tx.query("SET LOCAL enable_seqscan = off").execute()
                        .chain(() -> tx.query("SET LOCAL enable_sort = off").execute())
                        .chain(() -> tx.preparedQuery("EXPLAIN SELECT id FROM workflow_instance "
                                + "WHERE workspace_id = $1 AND test = false AND started_at >= $2 AND started_at < $3 "
                                + "ORDER BY started_at DESC LIMIT 100").execute(Tuple.of(WS,
                                from.atOffset(ZoneOffset.UTC), Instant.now().atOffset(ZoneOffset.UTC)))))
                .map(rows -> {
                    StringBuilder text = new StringBuilder();
                    rows.forEach(row -> text.append(row.getString(0)).append('\n'));
                    return text.toString();
                }).await().indefinitely();
        assertThat(plan).contains("Index Scan Backward using workflow_instance_started").doesNotContain("Sort");
    }

    @Test
    void runsAreFilteredByStartTimeFromInclusiveToExclusiveAndCountedPerWorkflow() {
        String wf = createActive(DEFINITION);
        String other = createActive(DEFINITION.replace("filters", "other"));
        // one after the other: the second trigger is sent once the first run exists, so it starts later
        TriggerEvent first = trigger("Webhook.Received", "c-early", null, Map.of());
        send(first);
        String early = awaitInstance(wf, "c-early");
        awaitEnded(early, "completed");
        awaitEnded(awaitInstance(other, "c-early"), "completed");
        TriggerEvent second = trigger("Webhook.Received", "c-late", null, Map.of());
        send(second);
        String late = awaitInstance(wf, "c-late");
        awaitEnded(late, "completed");
        awaitEnded(awaitInstance(other, "c-late"), "completed");
        Instant t1 = startedAt(early);
        Instant t2 = startedAt(late);
        assertThat(t1).isBefore(t2);

        String only = "workflowId=" + wf + "&";
        assertThat(ids(only + "from=" + t1)).containsExactly(late, early);
        assertThat(ids(only + "from=" + t2)).containsExactly(late);
        assertThat(ids(only + "to=" + t2)).containsExactly(early);
        assertThat(ids(only + "from=" + t1 + "&to=" + t2)).containsExactly(early);
        assertThat(ids(only + "from=" + t2.plusNanos(1000))).isEmpty();
        // the filters combine with the others
        assertThat(ids(only + "contactId=c-late&from=" + t1)).containsExactly(late);
        assertThat(ids(only + "status=running&from=" + t1)).isEmpty();

        given().get("/api/workspaces/" + WS + "/instances?from=yesterday").then().statusCode(400)
                .body("error", equalTo("bad_request"));
        given().get("/api/workspaces/" + WS + "/instances?from=" + t2 + "&to=" + t1).then().statusCode(400);

        // per workflow: each trigger started one run of both (the same trigger type)
        given().get("/api/workspaces/" + WS + "/instances/counts?from=" + t1.minusSeconds(60)).then().statusCode(200)
                .body("workflows." + wf + ".completed", equalTo(2))
                .body("workflows." + other + ".completed", equalTo(2));
        given().get("/api/workspaces/" + WS + "/instances/counts?from=" + t2).then().statusCode(200)
                .body("workflows." + wf + ".completed", equalTo(1));
        given().get("/api/workspaces/" + WS + "/instances/counts?from=" + t1 + "&to=" + t2).then().statusCode(200)
                .body("workflows." + wf + ".completed", equalTo(1));
        given().get("/api/workspaces/" + WS + "/instances/counts?from=" + t2.plusNanos(1000)).then().statusCode(200)
                .body("workflows", equalTo(Map.of()));
        given().get("/api/workspaces/" + WS + "/instances/counts").then().statusCode(400);
    }
}
