package io.engageflow.orchestrator.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reference's first example end to end, and the admin API for definitions, on the real broker and database. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_orchestrator_test"))
class WorkflowFlowTest extends FlowTestSupport {
    private static final String INVALID = """
            {"name": "bad", "trigger": {"type": "DataCaptured"},
             "steps": [{"action": "ContactCouponIssue", "config": {}}]}""";

    @Test
    void theReferenceFirstExampleRunsAlongTheSuccessPathAndCompletes() {
        String wf = createActive(withId(fixture("data-captured.json"), "data-captured-success"));
        TriggerEvent t = trigger("DataCaptured", "c-ok", "ann@example.com", Map.of());
        send(t);
        String id = awaitInstance(wf, "c-ok");

        ActionCommand filter = awaitCommand(id, "valid");
        assertThat(filter.action()).isEqualTo("ContactFilter");
        assertThat(filter.trigger().eventId()).isEqualTo(t.eventId());
        assertThat(filter.trigger().type()).isEqualTo("DataCaptured");
        reply(filter, "Success", Map.of());
        ActionCommand email = awaitCommand(id, "welcome");
        assertThat(email.config()).containsEntry("subject", "Welcome Ann");
        reply(email, "Success", Map.of("message_id", "m-1"));
        reply(email, "Success", Map.of("message_id", "m-1")); // a duplicate result changes nothing
        ActionCommand points = awaitCommand(id, "points");
        reply(points, "Success", Map.of("points_awarded", 10, "total_points", 10));

        Map<String, Object> done = awaitEnded(id, "completed");
        assertThat(paths(done)).containsExactly("valid=Success", "welcome=Success", "points=Success");
        given().get("/api/workspaces/" + WS + "/instances/" + id).then().statusCode(200)
                .body("steps[1].outputs.message_id", equalTo("m-1"))
                .body("steps[1].attempts", equalTo(1));
        assertThat(commandsOf(id)).extracting(ActionCommand::stepId).containsExactly("valid", "welcome", "points");
    }

    @Test
    void failurePathAddsToIncompleteDataAndTheSameTriggerTwiceStartsOneInstance() {
        String wf = createActive(withId(fixture("data-captured.json"), "data-captured-failure"));
        TriggerEvent t = trigger("Gameplay.DataCaptured", "c-bad", "not-an-email", Map.of());
        send(t);
        send(t);
        String id = awaitInstance(wf, "c-bad");
        reply(awaitCommand(id, "valid"), "Failure", Map.of());
        ActionCommand park = awaitCommand(id, "park");
        assertThat(park.action()).isEqualTo("ContactAddToList");
        assertThat(park.config()).containsEntry("list", "Incomplete Data");
        reply(park, "Success", Map.of());
        reply(awaitCommand(id, "points"), "Success", Map.of());
        assertThat(paths(awaitEnded(id, "completed"))).containsExactly("valid=Failure", "park=Success",
                "points=Success");
        awaitTriggersDecided("c-bad"); // both copies of the trigger decided
        assertThat(instances(wf, "c-bad")).extracting(i -> i.get("id")).containsExactly(id);
        assertThat(commandsOf(id)).filteredOn(c -> c.stepId().equals("valid")).hasSize(1);
    }

    @Test
    void invalidDefinitionsAreRefusedWith422AndTheErrorList() {
        List<Map<String, Object>> validateErrors = given().contentType("application/json").body(INVALID)
                .post("/api/workspaces/" + WS + "/workflows/validate").then().statusCode(200)
                .body("valid", equalTo(false)).extract().path("errors");
        assertThat(validateErrors).extracting(e -> e.get("path")).contains("steps[0].config.offer");
        // the contract: the 422 body carries the same errors list as validate (details may carry it too)
        List<Map<String, Object>> refused = given().contentType("application/json").body(INVALID)
                .post("/api/workspaces/" + WS + "/workflows").then().statusCode(422)
                .body("error", equalTo("invalid_definition")).extract().path("errors");
        assertThat(refused).isEqualTo(validateErrors);
        given().contentType("application/json").body("{\"name\": \"x\", \"trigger\": {\"type\": \"Nope\"}, "
                        + "\"steps\": [{\"action\": \"Teleport\"}]}")
                .post("/api/workspaces/" + WS + "/workflows/validate").then().statusCode(200)
                .body("valid", equalTo(false)).body("errors.path", hasItem("steps[0].action"))
                .body("errors.path", hasItem("trigger.type"));
        given().get("/api/workspaces/" + WS + "/workflows").then().statusCode(200).body("size()", equalTo(0));
        given().get("/api/workspaces/" + WS + "/workflows/none").then().statusCode(404)
                .body("error", equalTo("not_found"));
    }

    @Test
    void aNewVersionDoesNotChangeRunningInstances() {
        String wf = createActive(withId(fixture("data-captured.json"), "versioned"));
        send(trigger("DataCaptured", "c-v1", "ann@example.com", Map.of()));
        String v1 = awaitInstance(wf, "c-v1");
        ActionCommand v1Filter = awaitCommand(v1, "valid");
        given().contentType("application/json").body(fixture("data-captured.json").replace("Welcome", "Hello"))
                .put("/api/workspaces/" + WS + "/workflows/" + wf).then().statusCode(200)
                .body("version", equalTo(2));
        reply(v1Filter, "Success", Map.of());
        assertThat(awaitCommand(v1, "welcome").config()).containsEntry("subject", "Welcome Ann");
        send(trigger("DataCaptured", "c-v2", "bob@example.com", Map.of()));
        String v2 = awaitInstance(wf, "c-v2");
        reply(awaitCommand(v2, "valid"), "Success", Map.of());
        assertThat(awaitCommand(v2, "welcome").config()).containsEntry("subject", "Hello Ann");
        assertThat(instance(v1).get("version")).isEqualTo(1);
        assertThat(instance(v2).get("version")).isEqualTo(2);
    }

    @Test
    void everyVersionStaysReadableAfterAPut() {
        String wf = create(withId(fixture("data-captured.json"), "two-versions"));
        given().contentType("application/json").body(fixture("data-captured.json").replace("Welcome", "Hello"))
                .put("/api/workspaces/" + WS + "/workflows/" + wf).then().statusCode(200)
                .body("version", equalTo(2)).body("latestVersion", equalTo(2));
        String subject = "definition.steps[0].paths.Success[0].config.subject";
        given().get("/api/workspaces/" + WS + "/workflows/" + wf + "/versions/1").then().statusCode(200)
                .body("id", equalTo(wf)).body("version", equalTo(1)).body("latestVersion", equalTo(2))
                .body(subject, equalTo("Welcome {{contact.firstName}}"));
        given().get("/api/workspaces/" + WS + "/workflows/" + wf + "/versions/2").then().statusCode(200)
                .body("version", equalTo(2)).body(subject, equalTo("Hello {{contact.firstName}}"));
        given().get("/api/workspaces/" + WS + "/workflows/" + wf).then().statusCode(200)
                .body("version", equalTo(2)).body(subject, equalTo("Hello {{contact.firstName}}"));
        given().get("/api/workspaces/" + WS + "/workflows/" + wf + "/versions/3").then().statusCode(404)
                .body("error", equalTo("not_found"));
    }

    @Test
    void theListHasEveryWorkflowOfTheWorkspaceWithItsStatusAndLatestVersion() {
        String draft = create(withId(fixture("data-captured.json"), "listed-draft"));
        String active = createActive(withId(fixture("data-captured.json"), "listed-active"));
        given().contentType("application/json").body(fixture("data-captured.json").replace("Welcome", "Hello"))
                .put("/api/workspaces/" + WS + "/workflows/" + active).then().statusCode(200);
        // another workspace's workflow is not listed
        given().contentType("application/json").body(withId(fixture("data-captured.json"), "elsewhere"))
                .post("/api/workspaces/" + WS + "-other/workflows").then().statusCode(201);

        List<Map<String, Object>> listed = given().get("/api/workspaces/" + WS + "/workflows").then()
                .statusCode(200).extract().path("$");
        String name = "Data captured: validate, then email or park";
        assertThat(listed).extracting(w -> w.get("id"), w -> w.get("status"), w -> w.get("latestVersion"),
                        w -> w.get("triggerType"), w -> w.get("name"))
                .containsExactlyInAnyOrder(tuple(draft, "draft", 1, "Gameplay.DataCaptured", name),
                        tuple(active, "active", 2, "Gameplay.DataCaptured", name));
    }

    @Test
    void aDeactivatedWorkflowStartsNothingUntilActivatedAgain() {
        String wf = createActive(withId(fixture("data-captured.json"), "switched"));
        send(trigger("DataCaptured", "c-on", "ann@example.com", Map.of()));
        awaitInstance(wf, "c-on"); // active: a trigger starts it

        given().post("/api/workspaces/" + WS + "/workflows/" + wf + "/deactivate").then().statusCode(200)
                .body("id", equalTo(wf)).body("status", equalTo("inactive"));
        TriggerEvent whileOff = trigger("DataCaptured", "c-off", "ann@example.com", Map.of());
        send(whileOff);
        awaitTriggersDecided("c-off");
        assertThat(instances(wf, "c-off")).isEmpty();
        given().get("/api/workspaces/" + WS + "/workflows/" + wf).then().body("status", equalTo("inactive"));

        given().post("/api/workspaces/" + WS + "/workflows/" + wf + "/activate").then().statusCode(200)
                .body("status", equalTo("active"));
        TriggerEvent whileOn = trigger("DataCaptured", "c-off", "ann@example.com", Map.of());
        send(whileOn);
        String id = awaitInstance(wf, "c-off");
        // the trigger that came while it was inactive is not picked up later
        assertThat(instance(id).get("triggerEventId")).isEqualTo(whileOn.eventId());
        awaitCommand(id, "valid");
        assertThat(instances(wf, "c-off")).hasSize(1);
    }
}
