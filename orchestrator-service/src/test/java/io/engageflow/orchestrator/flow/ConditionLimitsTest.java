package io.engageflow.orchestrator.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.engageflow.contracts.TriggerEvent;
import io.engageflow.testsupport.RealInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A condition past its cost limit is a condition that cannot be evaluated, nothing worse: the Decision takes the path
 * the contract gives a failing case (the next case, else the default) with a ConditionError kept, the instance goes
 * on, and the trigger behind it on the same partition runs. A condition past the length limit is refused with 422.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_orchestrator_test"))
class ConditionLimitsTest extends FlowTestSupport {
    /** Valid, and cheap for a short list; for 2,000 elements four million iterations: refused after 10,000. */
    private static final String NESTED = "trigger.data.list.all(x, trigger.data.list.all(y, x + y >= 0))";

    @Inject
    MeterRegistry metrics;

    @Test
    void aDecisionWhoseConditionBlowsTheCostLimitTakesTheDefaultPathAndTheNextTriggerStillRuns() {
        String wf = createActive("""
                {"name": "costly", "trigger": {"type": "Webhook.Received"},
                 "steps": [{"id": "route", "action": "Decision", "config": {"cases": [
                     {"when": "%s", "path": "All"}], "default": "Other"},
                   "paths": {"All": [{"id": "all", "action": "ContactAddToList", "config": {"list": "All"}}],
                             "Other": [{"id": "other", "action": "ContactAddToList", "config": {"list": "Other"}}]}}]}"""
                .formatted(NESTED));
        TriggerEvent costly = trigger("Webhook.Received", "c-costly", null,
                Map.of("list", LongStream.range(0, 2_000).boxed().toList()));
        TriggerEvent cheap = trigger("Webhook.Received", "c-costly", null, Map.of("list", List.of(1, 2, 3)));
        List<String> ids = startInOrder(wf, costly, cheap); // the cheap one is decided after the costly one
        String refused = ids.get(0);
        String held = ids.get(1);

        reply(awaitCommand(refused, "other"), "Success", Map.of());
        Map<String, Object> refusedEnded = awaitEnded(refused, "completed");
        assertThat(paths(refusedEnded)).containsExactly("route=Other", "other=Success");
        Map<?, ?> error = (Map<?, ?>) step(refusedEnded, "route").get("error");
        assertThat(error.get("code")).isEqualTo("ConditionError");
        assertThat(error.get("message")).isEqualTo(NESTED + ": condition exceeded its cost limit: more than 10000"
                + " iterations of all, exists, exists_one, map and filter in one evaluation");

        reply(awaitCommand(held, "all"), "Success", Map.of());
        Map<String, Object> heldEnded = awaitEnded(held, "completed");
        assertThat(paths(heldEnded)).containsExactly("route=All", "all=Success");
        assertThat(step(heldEnded, "route").get("error")).isNull();
        assertThat(commandsOf(refused)).extracting(c -> c.stepId()).containsExactly("other");
        assertThat(commandsOf(held)).extracting(c -> c.stepId()).containsExactly("all");
    }

    @Test
    void aConditionOverTheLengthLimitIsRefusedWith422AndTheReason() {
        String prefix = "trigger.data.code == '";
        String tooLong = prefix + "x".repeat(2_000 - prefix.length()) + "'"; // 2,001 characters
        String definition = """
                {"name": "long", "trigger": {"type": "Webhook.Received", "condition": "%s"},
                 "steps": [{"id": "tag", "action": "ContactAddToList", "config": {"list": "L"}}]}""".formatted(tooLong);
        String reason = "invalid condition: condition is 2001 characters long; a condition has at most 2000";

        given().contentType("application/json").body(definition).post("/api/workspaces/" + WS + "/workflows")
                .then().statusCode(422)
                .body("errors[0].path", equalTo("trigger.condition"))
                .body("errors[0].message", equalTo(reason));
        given().contentType("application/json").body(definition)
                .post("/api/workspaces/" + WS + "/workflows/validate")
                .then().statusCode(200).body("valid", equalTo(false))
                .body("errors[0].path", equalTo("trigger.condition"))
                .body("errors[0].message", equalTo(reason));
    }

    @Test
    void theCompiledExpressionCachesArePublished() {
        // this workflow's condition and template are compiled when it is validated: both caches hold something
        createActive("""
                {"name": "cached", "trigger": {"type": "Webhook.Received", "condition": "trigger.data.n > 1"},
                 "steps": [{"id": "mail", "action": "ContactEmailSend",
                            "config": {"subject": "Hi {{contact.firstName}}!", "body": "b"}}]}""");
        for (String cache : List.of("conditions", "templates")) {
            assertThat(metrics.get("engageflow.expressions.cache.entries").tag("cache", cache).gauge().value())
                    .as(cache).isGreaterThan(0);
            assertThat(metrics.get("engageflow.expressions.cache.bytes").tag("cache", cache).gauge().value())
                    .as(cache).isGreaterThan(0);
            assertThat(metrics.find("engageflow.expressions.cache.evictions").tag("cache", cache).functionCounter())
                    .as(cache).isNotNull();
        }
    }
}
