package io.engageflow.orchestrator.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.expression.Conditions;
import io.engageflow.contracts.expression.Variables;
import io.engageflow.orchestrator.domain.definition.DefinitionValidator;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: trigger data never becomes code. A condition reads the variables and is never assembled from text; a
 * template renders values only. Both are refused at validation (422), and a definition stored before the rules (put
 * in the database as it is) runs nothing of the kind: its step fails, nothing is rendered, nothing is sent.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_orchestrator_test"))
class TemplateSafetyFlowTest extends FlowTestSupport {
    /** Pasted into {@code "{{trigger.data.a}}" == "blue"} as text it gives {@code "x"=="x"||"a" == "blue"}: true. */
    private static final String INJECTED = "x\"==\"x\"||\"a";
    private static final String TEMPLATE_CONDITION = "\\\"{{trigger.data.a}}\\\" == \\\"blue\\\"";
    private static final String READING_CONDITION = "trigger.data.a == \\\"blue\\\"";

    @Inject
    Pool pool;

    /** Route on a Decision, then filter on the contact; each outcome adds the contact to a list. */
    private static String routeAndFilter(String condition) {
        return """
                {"name": "blue", "trigger": {"type": "Webhook.Received"},
                 "steps": [
                   {"id": "route", "action": "Decision",
                    "config": {"cases": [{"when": "%1$s", "path": "Blue"}], "default": "Other"}},
                   {"id": "filter", "action": "ContactFilter", "config": {"condition": "%1$s"},
                    "paths": {"Success": [{"id": "blue", "action": "ContactAddToList", "config": {"list": "Blue"}}],
                              "Failure": [{"id": "other", "action": "ContactAddToList", "config": {"list": "Other"}}]}}]}"""
                .formatted(condition);
    }

    /** Replaces version 1's stored definition as it is, unvalidated: a definition saved before today's rules. */
    private void storeAsIs(String workflowId, String definitionJson) {
        int updated = pool.preparedQuery("UPDATE workflow_version SET definition_json = $1 WHERE id = $2")
                .execute(Tuple.of(definitionJson, WS + "/" + workflowId + ":1")).await().indefinitely().rowCount();
        assertThat(updated).isEqualTo(1);
    }

    private String activate(String workflowId) {
        given().post("/api/workspaces/" + WS + "/workflows/" + workflowId + "/activate").then().statusCode(200);
        return workflowId;
    }

    /**
     * Plays the action services until the instance ends: a ContactFilter is answered as contact-actions-service's
     * ContactFilterAction answers it (its condition over the command's contact, trigger and steps), every other
     * command with Success.
     */
    private Map<String, Object> runToEnd(String instanceId) {
        Set<String> answered = new HashSet<>();
        return Awaitility.await().atMost(WAIT).until(() -> {
            for (ActionCommand c : commandsOf(instanceId)) {
                if (answered.add(c.commandId())) {
                    reply(c, c.action().equals("ContactFilter") ? filterPath(c) : "Success", Map.of());
                }
            }
            return instance(instanceId);
        }, i -> !"running".equals(i.get("status")));
    }

    private static String filterPath(ActionCommand c) {
        Conditions.Outcome outcome = Conditions.evaluate(String.valueOf(c.config().get("condition")),
                Variables.of(c.contact(), c.trigger(), c.steps()));
        return outcome.holds() ? "Success" : "Failure";
    }

    @Test
    void aConditionWrittenAsATemplateIsRefusedWith422WhereverItIs() {
        String definition = """
                {"name": "t", "trigger": {"type": "Webhook.Received", "condition": "%1$s"},
                 "steps": [
                   {"id": "route", "action": "Decision",
                    "config": {"cases": [{"when": "%1$s", "path": "Blue"}], "default": "Other"}},
                   {"id": "filter", "action": "ContactFilter", "config": {"condition": "%1$s"}}]}"""
                .formatted(TEMPLATE_CONDITION);
        List<Map<String, Object>> errors = given().contentType("application/json").body(definition)
                .post("/api/workspaces/" + WS + "/workflows").then().statusCode(422)
                .body("error", equalTo("invalid_definition")).extract().path("errors");
        assertThat(errors).extracting(e -> e.get("path"), e -> e.get("message")).containsExactly(
                tuple("trigger.condition", DefinitionValidator.CONDITION_TEMPLATE),
                tuple("steps[0].config.cases[0].when", DefinitionValidator.CONDITION_TEMPLATE),
                tuple("steps[1].config.condition", DefinitionValidator.CONDITION_TEMPLATE));
        assertThat(DefinitionValidator.CONDITION_TEMPLATE).contains("trigger.data.a == \"blue\"");
        given().contentType("application/json").body(definition).post("/api/workspaces/" + WS + "/workflows/validate")
                .then().statusCode(200).body("valid", equalTo(false)).body("errors.size()", equalTo(3));
        given().get("/api/workspaces/" + WS + "/workflows").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aStoredDefinitionWithAConditionTemplateNeverTakesSuccessFromInjectedData() {
        String wf = create(withId(routeAndFilter(READING_CONDITION), "legacy-condition"));
        storeAsIs(wf, withId(routeAndFilter(TEMPLATE_CONDITION), wf));
        activate(wf);
        send(trigger("Webhook.Received", "c-inject", null, Map.of("a", INJECTED)));
        String id = awaitInstance(wf, "c-inject");

        Map<String, Object> ended = runToEnd(id);
        // the Decision evaluates its case as written (the text "{{trigger.data.a}}" is not "blue"); the filter's
        // condition is not rendered, so its step cannot run: nothing is sent, the instance fails and says why
        assertThat(paths(ended)).containsExactly("route=Other", "filter=Failure");
        assertThat(ended.get("status")).isEqualTo("failed");
        assertThat(step(ended, "filter").get("error")).isEqualTo(Map.of("code", "InvalidConfig",
                "message", "condition: " + DefinitionValidator.CONDITION_TEMPLATE));
        assertThat(commandsOf(id)).isEmpty();
    }

    /**
     * SalesforceGetObject's {@code where}: as text (SOQL) it may hold no template, or trigger data would become query
     * ({@code ' OR Name != '}); values go in the map form, which goes out rendered, as data, for the integration
     * service to send as escaped literals. A stored text with a template fails its step and sends nothing.
     */
    @Test
    void queryCriteriaAreNeverAssembledFromText() {
        String definition = """
                {"name": "crm", "trigger": {"type": "Webhook.Received"},
                 "steps": [{"id": "find", "action": "SalesforceGetObject",
                            "config": {"objectType": "Contact", "where": %s}}]}""";
        given().contentType("application/json").body(definition.formatted("\"Email = '{{trigger.data.email}}'\""))
                .post("/api/workspaces/" + WS + "/workflows").then().statusCode(422)
                .body("errors.size()", equalTo(1))
                .body("errors[0].path", equalTo("steps[0].config.where"))
                .body("errors[0].message", equalTo(DefinitionValidator.CRITERIA_TEMPLATE));

        String injected = "x' OR Name != '";
        String mapForm = createActive(withId(definition.formatted("{\"Email\": \"{{trigger.data.email}}\"}"),
                "crm-map"));
        send(trigger("Webhook.Received", "c-crm-map", null, Map.of("email", injected)));
        ActionCommand find = awaitCommand(awaitInstance(mapForm, "c-crm-map"), "find");
        assertThat(find.config().get("where")).isEqualTo(Map.of("Email", injected));

        String legacy = create(withId(definition.formatted("\"Email = 'fixed@example.com'\""), "crm-legacy"));
        storeAsIs(legacy, withId(definition.formatted("\"Email = '{{trigger.data.email}}'\""), legacy));
        activate(legacy);
        send(trigger("Webhook.Received", "c-crm-legacy", null, Map.of("email", injected)));
        String id = awaitInstance(legacy, "c-crm-legacy");
        Map<String, Object> ended = awaitEnded(id, "failed");
        assertThat(step(ended, "find").get("error")).isEqualTo(Map.of("code", "InvalidConfig",
                "message", "where: " + DefinitionValidator.CRITERIA_TEMPLATE));
        assertThat(commandsOf(id)).isEmpty();
    }

    @Test
    void aConditionReadingTheTriggerDataTakesSuccessForTheValueAndFailureForTheInjection() {
        String wf = createActive(withId(routeAndFilter(READING_CONDITION), "reads-variables"));
        TriggerEvent blue = trigger("Webhook.Received", "c-blue", null, Map.of("a", "blue"));
        TriggerEvent injected = trigger("Webhook.Received", "c-injected", null, Map.of("a", INJECTED));
        send(blue);
        send(injected);
        String blueId = awaitInstance(wf, "c-blue");
        String injectedId = awaitInstance(wf, "c-injected");

        assertThat(paths(runToEnd(blueId))).containsExactly("route=Blue", "filter=Success", "blue=Success");
        Map<String, Object> injectedEnded = runToEnd(injectedId);
        assertThat(injectedEnded.get("status")).isEqualTo("completed");
        assertThat(paths(injectedEnded)).containsExactly("route=Other", "filter=Failure", "other=Success");
        // the filter's condition goes out exactly as written; the data travels beside it, as data
        ActionCommand filter = awaitCommand(injectedId, "filter");
        assertThat(filter.config()).isEqualTo(Map.of("condition", "trigger.data.a == \"blue\""));
        assertThat(filter.trigger().data()).isEqualTo(Map.of("a", INJECTED));
    }

    @Test
    void aFileOrResourceIncludeIsRefusedWith422AndAStoredOneRendersNothing() {
        for (String include : List.of("{{> file:///etc/hostname}}", "{{> application.properties}}")) {
            String definition = """
                    {"name": "include", "trigger": {"type": "Webhook.Received"},
                     "steps": [{"id": "save", "action": "ContactUpdate",
                                "config": {"properties": {"host": "%s"}}}]}""";
            given().contentType("application/json").body(definition.formatted(include))
                    .post("/api/workspaces/" + WS + "/workflows").then().statusCode(422)
                    .body("errors.size()", equalTo(1))
                    .body("errors[0].path", equalTo("steps[0].config.properties.host"))
                    .body("errors[0].message", startsWith("invalid template: a template cannot include another"));

            String wf = create(withId(definition.formatted("{{contact.firstName}}"), "include-" + include.length()));
            storeAsIs(wf, withId(definition.formatted(include), wf));
            activate(wf);
            String contact = "c-include-" + include.length();
            send(trigger("Webhook.Received", contact, null, Map.of()));
            String id = awaitInstance(wf, contact);
            Map<String, Object> ended = awaitEnded(id, "failed");
            Map<?, ?> error = (Map<?, ?>) step(ended, "save").get("error");
            assertThat(error.get("code")).isEqualTo("InvalidConfig");
            assertThat((String) error.get("message")).as(include)
                    .startsWith("could not resolve the step's templates: a template cannot include another")
                    .doesNotContain("datasource", "localhost");
            assertThat(commandsOf(id)).isEmpty();
        }
    }

    @Test
    void aTemplateThatWouldCallJavaCodeOnTheDataFailsItsStepAndSendsNothing() {
        // valid as text (whether tags is a list or a map with a key "size" depends on the data): refused at run time
        String wf = createActive("""
                {"name": "member", "trigger": {"type": "Webhook.Received"},
                 "steps": [{"id": "save", "action": "ContactUpdate",
                            "config": {"properties": {"count": "n={{trigger.data.tags.size}}"}}}]}""");
        send(trigger("Webhook.Received", "c-member", null, Map.of("tags", List.of("a", "b"))));
        String id = awaitInstance(wf, "c-member");
        Map<String, Object> ended = awaitEnded(id, "failed");
        Map<?, ?> error = (Map<?, ?>) step(ended, "save").get("error");
        assertThat(error.get("code")).isEqualTo("InvalidConfig");
        assertThat((String) error.get("message")).isEqualTo("could not resolve the step's templates:"
                + " {{trigger.data.tags.size}} would read the Java member size of a list (java.util.ArrayList), not a"
                + " key: templates render values only");
        assertThat(commandsOf(id)).isEmpty();

        // a map with that key is data: it renders
        send(trigger("Webhook.Received", "c-member-map", null, Map.of("tags", Map.of("size", 2))));
        String mapId = awaitInstance(wf, "c-member-map");
        assertThat(awaitCommand(mapId, "save").config()).isEqualTo(Map.of("properties", Map.of("count", "n=2")));
    }
}
