package io.engageflow.orchestrator.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.TriggerEvent;
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

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_orchestrator_test"))
class WorkflowFlowTest extends FlowTestSupport {

    @AfterEach
    void close() {
        commands.close();
    }

    @Test
    void theReferenceFirstExampleRunsAlongTheSuccessPathAndCompletes() {
        createActive(withId(fixture("data-captured.json"), "data-captured-success"));
        TriggerEvent t = trigger("DataCaptured", "c-ok", "ann@example.com", Map.of());
        send(t);

        ActionCommand filter = awaitCommand("c-ok", "valid");
        assertThat(filter.action()).isEqualTo("ContactFilter");
        assertThat(filter.trigger().type()).isEqualTo("DataCaptured");
        reply(filter, "Success", Map.of());
        ActionCommand email = awaitCommand("c-ok", "welcome");
        assertThat(email.config()).containsEntry("subject", "Welcome Ann");
        reply(email, "Success", Map.of("message_id", "m-1"));
        reply(email, "Success", Map.of("message_id", "m-1")); // a duplicate result changes nothing
        ActionCommand points = awaitCommand("c-ok", "points");
        reply(points, "Success", Map.of("points_awarded", 10, "total_points", 10));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "completed".equals(instanceOf("c-ok").get("status")));
        Map<String, Object> instance = instanceOf("c-ok");
        given().get("/api/workspaces/" + WS + "/instances/" + instance.get("id")).then().statusCode(200)
                .body("steps.stepId", equalTo(List.of("valid", "welcome", "points")))
                .body("steps.path", equalTo(List.of("Success", "Success", "Success")))
                .body("steps[1].outputs.message_id", equalTo("m-1"))
                .body("steps[1].attempts", equalTo(1));
        assertThat(commandsFor("c-ok")).extracting(ActionCommand::stepId).containsExactly("valid", "welcome",
                "points");
    }

    @Test
    void failurePathAddsToIncompleteDataAndTheSameTriggerTwiceStartsOneInstance() {
        createActive(withId(fixture("data-captured.json"), "data-captured-failure"));
        TriggerEvent t = trigger("Gameplay.DataCaptured", "c-bad", "not-an-email", Map.of());
        send(t);
        send(t);
        ActionCommand filter = awaitCommand("c-bad", "valid");
        reply(filter, "Failure", Map.of());
        ActionCommand park = awaitCommand("c-bad", "park");
        assertThat(park.action()).isEqualTo("ContactAddToList");
        assertThat(park.config()).containsEntry("list", "Incomplete Data");
        reply(park, "Success", Map.of());
        reply(awaitCommand("c-bad", "points"), "Success", Map.of());
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> "completed".equals(instanceOf("c-bad").get("status")));
        given().queryParam("contactId", "c-bad").get("/api/workspaces/" + WS + "/instances").then()
                .body("size()", equalTo(1)).body("[0].steps.stepId", equalTo(List.of("valid", "park", "points")));
        assertThat(commandsFor("c-bad")).filteredOn(c -> c.stepId().equals("valid")).hasSize(1);
    }

    @Test
    void invalidDefinitionsAreRefusedWith422AndTheErrorList() {
        given().contentType("application/json").body("""
                {"name": "bad", "trigger": {"type": "DataCaptured"},
                 "steps": [{"action": "ContactCouponIssue", "config": {}}]}""")
                .post("/api/workspaces/" + WS + "/workflows").then().statusCode(422)
                .body("error", equalTo("invalid_definition"))
                .body("details.path", hasItem("steps[0].config.offer"));
        given().contentType("application/json").body("{\"name\": \"x\", \"trigger\": {\"type\": \"Nope\"}, "
                        + "\"steps\": [{\"action\": \"Teleport\"}]}")
                .post("/api/workspaces/" + WS + "/workflows/validate").then().statusCode(200)
                .body("valid", equalTo(false)).body("errors.path", hasItem("steps[0].action"));
        given().get("/api/workspaces/" + WS + "/workflows/none").then().statusCode(404)
                .body("error", equalTo("not_found"));
    }

    @Test
    void aNewVersionDoesNotChangeRunningInstances() {
        String id = createActive(withId(fixture("data-captured.json"), "versioned"));
        send(trigger("DataCaptured", "c-v1", "ann@example.com", Map.of()));
        ActionCommand v1 = awaitCommand("c-v1", "valid");
        given().contentType("application/json").body(fixture("data-captured.json").replace("Welcome", "Hello"))
                .put("/api/workspaces/" + WS + "/workflows/" + id).then().statusCode(200)
                .body("version", equalTo(2));
        reply(v1, "Success", Map.of());
        assertThat(awaitCommand("c-v1", "welcome").config()).containsEntry("subject", "Welcome Ann");
        send(trigger("DataCaptured", "c-v2", "bob@example.com", Map.of()));
        reply(awaitCommand("c-v2", "valid"), "Success", Map.of());
        assertThat(awaitCommand("c-v2", "welcome").config()).containsEntry("subject", "Hello Ann");
        assertThat(instanceOf("c-v1").get("version")).isEqualTo(1);
        assertThat(instanceOf("c-v2").get("version")).isEqualTo(2);
    }
}
