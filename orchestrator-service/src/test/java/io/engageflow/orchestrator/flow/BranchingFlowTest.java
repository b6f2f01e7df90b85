package io.engageflow.orchestrator.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.orchestrator.domain.instance.AbBuckets;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Issue 13: A/B routing in a Decision and conditional Split branches, on the real broker and database. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_orchestrator_test"))
class BranchingFlowTest extends FlowTestSupport {

    @Test
    void anAbDecisionSendsEachContactDownItsOwnPathOnEveryRunAndThePathsStepsRun() {
        String wf = createActive("""
                {"name": "ab test", "trigger": {"type": "Webhook.Received"},
                 "steps": [{"id": "ab", "action": "Decision", "config": {"split": [
                              {"path": "A", "percent": 50}, {"path": "B", "percent": 50}]},
                            "paths": {"A": [{"id": "mailA", "action": "ContactEmailSend",
                                             "config": {"subject": "Offer A", "body": "a"}}],
                                      "B": [{"id": "mailB", "action": "ContactEmailSend",
                                             "config": {"subject": "Offer B", "body": "b"}}]}},
                           {"id": "after", "action": "ContactAddToList", "config": {"list": "Tested"}}]}""");
        // the workflow's id is new each run: pick one contact of each half for it
        String inA = contactWithBucket(wf, true);
        String inB = contactWithBucket(wf, false);

        // two runs for the same contact: both take A, with the same bucket, and A's block and the next step run
        TriggerEvent first = trigger("Webhook.Received", inA, "a@example.com", Map.of());
        TriggerEvent second = trigger("Webhook.Received", inA, "a@example.com", Map.of());
        List<String> runs = startInOrder(wf, first, second);
        for (String id : runs) {
            ActionCommand mail = awaitCommand(id, "mailA");
            assertThat(mail.config()).containsEntry("subject", "Offer A");
            reply(mail, "Success", Map.of());
            reply(awaitCommand(id, "after"), "Success", Map.of());
            Map<String, Object> done = awaitEnded(id, "completed");
            assertThat(paths(done)).containsExactly("ab=A", "mailA=Success", "after=Success");
            assertThat(step(done, "ab").get("outputs")).isEqualTo(Map.of("path", "A",
                    "bucket", AbBuckets.bucket(wf, "ab", inA)));
            assertThat(commandsOf(id)).extracting(ActionCommand::stepId).containsExactly("mailA", "after");
        }

        send(trigger("Webhook.Received", inB, "b@example.com", Map.of()));
        String other = awaitInstance(wf, inB);
        reply(awaitCommand(other, "mailB"), "Success", Map.of());
        reply(awaitCommand(other, "after"), "Success", Map.of());
        assertThat(paths(awaitEnded(other, "completed"))).containsExactly("ab=B", "mailB=Success", "after=Success");
        assertThat(commandsOf(other)).extracting(ActionCommand::stepId).containsExactly("mailB", "after");
    }

    /** A contact id whose bucket for the workflow's step "ab" is below 50 (A of a 50/50 split), or not. */
    private static String contactWithBucket(String workflowId, boolean low) {
        return IntStream.range(0, 1_000).mapToObj(n -> "c-ab-" + n)
                .filter(c -> (AbBuckets.bucket(workflowId, "ab", c) < 50) == low).findFirst().orElseThrow();
    }

    private String createConditionalSplit() {
        return createActive("""
                {"name": "conditional split", "trigger": {"type": "Prize.Awarded"},
                 "steps": [{"id": "both", "action": "Split", "branches": [
                              [{"id": "all", "action": "ContactAddToList", "config": {"list": "Winners"}}],
                              {"when": "trigger.data.vip == true",
                               "steps": [{"id": "vip", "action": "AssignContactAchievement",
                                          "config": {"achievement": "VIP"}}]}]},
                           {"id": "after", "action": "LoyaltyAwardPoints", "config": {"points": 5}}]}""");
    }

    @Test
    void aBranchWhoseConditionDoesNotHoldSendsNothingAndTheSplitJoinsOnTheOthers() {
        String wf = createConditionalSplit();
        send(trigger("Prize.Awarded", "c-plain", null, Map.of("vip", false)));
        String id = awaitInstance(wf, "c-plain");
        ActionCommand all = awaitCommand(id, "all");
        // the Split shows which branch runs from its start on
        assertThat(step(instance(id), "both").get("outputs")).isEqualTo(Map.of("branches", List.of("taken",
                "skipped")));
        reply(all, "Success", Map.of());
        reply(awaitCommand(id, "after"), "Success", Map.of());
        Map<String, Object> done = awaitEnded(id, "completed");
        assertThat(paths(done)).containsExactly("both=Success", "all=Success", "after=Success");
        assertThat(step(done, "both").get("outputs")).isEqualTo(Map.of("branches", List.of("taken", "skipped")));
        // "vip" would have been sent with "all", before "after": it never was
        assertThat(commandsOf(id)).extracting(ActionCommand::stepId).containsExactly("all", "after");

        // the same workflow for a VIP: both branches run, and the join waits for both
        send(trigger("Prize.Awarded", "c-vip", null, Map.of("vip", true)));
        String vip = awaitInstance(wf, "c-vip");
        reply(awaitCommand(vip, "all"), "Success", Map.of());
        reply(awaitCommand(vip, "vip"), "Success", Map.of());
        reply(awaitCommand(vip, "after"), "Success", Map.of());
        Map<String, Object> vipDone = awaitEnded(vip, "completed");
        assertThat(step(vipDone, "both").get("outputs")).isEqualTo(Map.of("branches", List.of("taken", "taken")));
        assertThat(commandsOf(vip)).extracting(ActionCommand::stepId).containsExactlyInAnyOrder("all", "vip",
                "after");
    }

    @Test
    void whenEveryBranchIsSkippedTheSplitCompletesAtOnceAndTheStepAfterItRuns() {
        String wf = createActive("""
                {"name": "all conditional", "trigger": {"type": "Prize.Awarded"},
                 "steps": [{"id": "both", "action": "Split", "branches": [
                              {"when": "trigger.data.vip == true", "steps": [
                                  {"id": "vip", "action": "AssignContactAchievement", "config": {"achievement": "VIP"}}]},
                              {"when": "trigger.data.score > 100", "steps": [
                                  {"id": "high", "action": "ContactAddToList", "config": {"list": "High"}}]}]},
                           {"id": "after", "action": "LoyaltyAwardPoints", "config": {"points": 5}}]}""");
        send(trigger("Prize.Awarded", "c-none", null, Map.of("vip", false, "score", 7)));
        String id = awaitInstance(wf, "c-none");
        reply(awaitCommand(id, "after"), "Success", Map.of());
        Map<String, Object> done = awaitEnded(id, "completed");
        assertThat(paths(done)).containsExactly("both=Success", "after=Success");
        assertThat(step(done, "both").get("outputs")).isEqualTo(Map.of("branches", List.of("skipped", "skipped")));
        assertThat(commandsOf(id)).extracting(ActionCommand::stepId).containsExactly("after");
    }

    @Test
    void theApiRefusesABadSplitAndABadBranchWith422AndTheErrorsAtTheirPaths() {
        String bad = """
                {"name": "bad", "trigger": {"type": "Webhook.Received"},
                 "steps": [{"id": "ab", "action": "Decision", "config": {"split": [
                              {"path": "A", "percent": 50}, {"path": "A", "percent": 40}]}},
                           {"id": "both", "action": "Split", "branches": [
                              {"when": "trigger.data.city == \\"{{contact.city}}\\"", "steps": [
                                  {"id": "x", "action": "ContactAddToList", "config": {"list": "X"}}]}]}]}""";
        given().contentType("application/json").body(bad).post("/api/workspaces/" + WS + "/workflows/validate")
                .then().statusCode(200).body("valid", equalTo(false))
                .body("errors.path", hasItems("steps[0].config.split", "steps[0].config.split[1].path",
                        "steps[1].branches[0].when"));
        given().contentType("application/json").body(bad).post("/api/workspaces/" + WS + "/workflows")
                .then().statusCode(422).body("error", equalTo("invalid_definition"))
                .body("errors.path", hasItems("steps[0].config.split", "steps[0].config.split[1].path",
                        "steps[1].branches[0].when"));
    }
}
