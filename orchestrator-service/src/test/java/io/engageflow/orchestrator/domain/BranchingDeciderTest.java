package io.engageflow.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.WorkflowEvent;
import io.engageflow.orchestrator.domain.definition.DecisionStep.Share;
import io.engageflow.orchestrator.domain.definition.DefinitionParser;
import io.engageflow.orchestrator.domain.definition.DefinitionValidator;
import io.engageflow.orchestrator.domain.definition.WorkflowDefinition;
import io.engageflow.orchestrator.domain.instance.AbBuckets;
import io.engageflow.orchestrator.domain.instance.Decider;
import io.engageflow.orchestrator.domain.instance.Decision;
import io.engageflow.orchestrator.domain.instance.EngineInput;
import io.engageflow.orchestrator.domain.instance.InstanceState;
import io.engageflow.orchestrator.domain.instance.PendingCommand;
import io.engageflow.orchestrator.domain.instance.RunStatus;
import io.engageflow.orchestrator.persistence.StoredState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 13: A/B routing in a Decision and conditional Split branches, decided in plain Java. */
class BranchingDeciderTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    // ------------------------------------------------------------------ A/B routing

    /** Counts how many of 10,000 contacts each path of the split takes. */
    private static Map<String, Integer> route(List<Share> shares) {
        Map<String, Integer> taken = new HashMap<>();
        for (int c = 0; c < 10_000; c++) {
            taken.merge(AbBuckets.path(shares, AbBuckets.bucket("wf-ab", "ab", "contact-" + c)), 1, Integer::sum);
        }
        return taken;
    }

    @Test
    void tenThousandContactsSplitWithinTwoPointsOfEachShare() {
        Map<String, Integer> even = route(List.of(new Share("A", 50), new Share("B", 50)));
        assertThat(even.keySet()).containsExactlyInAnyOrder("A", "B");
        assertThat(even.get("A")).isBetween(4_800, 5_200);
        assertThat(even.get("B")).isBetween(4_800, 5_200);

        Map<String, Integer> three = route(List.of(new Share("Small", 10), new Share("Mid", 30),
                new Share("Large", 60)));
        assertThat(three.keySet()).containsExactlyInAnyOrder("Small", "Mid", "Large");
        assertThat(three.get("Small")).isBetween(800, 1_200);
        assertThat(three.get("Mid")).isBetween(2_800, 3_200);
        assertThat(three.get("Large")).isBetween(5_800, 6_200);

        // a share of 0 % takes nobody
        assertThat(route(List.of(new Share("Never", 0), new Share("All", 100)))).isEqualTo(Map.of("All", 10_000));
    }

    @Test
    void theBucketIsAStableFunctionOfWorkflowStepAndContactOnly() {
        // pinned: the same values from an independent implementation of the encoding (Python's hashlib), so a change
        // of the hash, which would move live contacts to other paths, fails here
        assertThat(AbBuckets.bucket("wf", "ab", "c-1")).isEqualTo(45);
        assertThat(AbBuckets.bucket("wf", "ab", "c-2")).isEqualTo(34);
        assertThat(AbBuckets.bucket("wf", "ab2", "c-1")).isEqualTo(82);
        assertThat(AbBuckets.bucket("wf-ab", "ab", "c-1")).isEqualTo(55);
        // the length prefixes keep the three parts apart: moving a character from one to the next changes the input
        assertThat(AbBuckets.bucket("wfa", "b", "c-1")).isNotEqualTo(AbBuckets.bucket("wf", "ab", "c-1"));
        // another split step of the workflow draws independently: about half the contacts land in the other half
        int moved = 0;
        for (int c = 0; c < 10_000; c++) {
            boolean first = AbBuckets.bucket("wf", "ab", "c-" + c) < 50;
            boolean second = AbBuckets.bucket("wf", "ab2", "c-" + c) < 50;
            moved += first == second ? 0 : 1;
        }
        assertThat(moved).isBetween(4_800, 5_200);
    }

    private static final String AB_STEPS = """
            [{"id": "ab", "action": "Decision", "config": {"split": [{"path": "A", "percent": 50},
                                                                    {"path": "B", "percent": 50}]},
              "paths": {"A": [{"id": "mailA", "action": "ContactEmailSend", "config": {"subject": "A", "body": "a"}}],
                        "B": [{"id": "mailB", "action": "ContactEmailSend", "config": {"subject": "B", "body": "b"}}]}},
             {"id": "after", "action": "ContactAddToList", "config": {"list": "Seen"}}]""";

    @Test
    void anAbDecisionRecordsItsPathAndBucketAndTheContactTakesItOnEveryRun() {
        WorkflowDefinition def = valid(AB_STEPS);
        for (String contact : List.of("c-1", "c-2")) { // buckets 45 and 34 for workflow "wf": both A
            String expected = AbBuckets.bucket("wf", "ab", contact) < 50 ? "A" : "B";
            for (int run = 0; run < 2; run++) {
                InstanceState i = instance(contact, Map.of());
                Decision started = start(def, i);
                assertThat(i.steps.get("ab").path).isEqualTo(expected);
                assertThat(i.steps.get("ab").outputs).isEqualTo(Map.of("path", expected,
                        "bucket", AbBuckets.bucket("wf", "ab", contact)));
                assertThat(commands(started)).containsExactly("mail" + expected);
                apply(def, i, "mail" + expected, "Success");
                assertThat(i.steps.keySet()).containsExactly("ab", "mail" + expected, "after");
            }
        }
        // and a contact whose bucket is 50 or more takes B
        String bContact = java.util.stream.IntStream.range(0, 100).mapToObj(n -> "c-" + n)
                .filter(c -> AbBuckets.bucket("wf", "ab", c) >= 50).findFirst().orElseThrow();
        InstanceState i = instance(bContact, Map.of());
        assertThat(commands(start(def, i))).containsExactly("mailB");
        assertThat(i.steps.get("ab").path).isEqualTo("B");
    }

    // ------------------------------------------------------------------ conditional Split branches

    private static final String CONDITIONAL_SPLIT = """
            [{"id": "both", "action": "Split", "branches": [
                [{"id": "always", "action": "ContactAddToList", "config": {"list": "All"}}],
                {"when": "trigger.data.vip == true", "steps": [
                    {"id": "vip", "action": "AssignContactAchievement", "config": {"achievement": "VIP"}}]},
                {"when": "trigger.data.score > 100", "steps": [
                    {"id": "high", "action": "LoyaltyAwardPoints", "config": {"points": 50}}]}]},
             {"id": "after", "action": "ContactAddToList", "config": {"list": "Done"}}]""";

    @Test
    void aBranchWhoseConditionDoesNotHoldIsSkippedAndTheSplitJoinsOnTheRest() {
        WorkflowDefinition def = valid(CONDITIONAL_SPLIT);
        InstanceState i = instance("c-1", Map.of("vip", false, "score", 150));
        assertThat(commands(start(def, i))).containsExactly("always", "high");
        assertThat(i.steps.get("both").outputs).isEqualTo(Map.of("branches", List.of("taken", "skipped", "taken")));
        assertThat(i.steps).doesNotContainKey("vip");

        assertThat(commands(apply(def, i, "always", "Success"))).isEmpty(); // "high" still runs: no join yet
        assertThat(i.steps.get("both").status).isEqualTo(RunStatus.RUNNING);
        assertThat(commands(apply(def, i, "high", "Success"))).containsExactly("after");
        assertThat(i.steps.get("both").status).isEqualTo(RunStatus.COMPLETED);
        assertThat(i.steps.get("both").path).isEqualTo("Success");
        assertThat(i.steps.get("both").outputs).isEqualTo(Map.of("branches", List.of("taken", "skipped", "taken")));
        assertThat(i.steps.get("both").error).isNull();
        apply(def, i, "after", "Success");
        assertThat(i.status).isEqualTo(RunStatus.COMPLETED);
        assertThat(i.steps.keySet()).containsExactly("both", "always", "high", "after");
    }

    @Test
    void whenEveryBranchIsSkippedTheSplitCompletesAtOnceAndTheFlowGoesOn() {
        WorkflowDefinition def = valid("""
                [{"id": "both", "action": "Split", "branches": [
                    {"when": "trigger.data.vip == true", "steps": [
                        {"id": "vip", "action": "AssignContactAchievement", "config": {"achievement": "VIP"}}]},
                    {"when": "trigger.data.score > 100", "steps": [
                        {"id": "high", "action": "LoyaltyAwardPoints", "config": {"points": 50}}]}]},
                 {"id": "after", "action": "ContactAddToList", "config": {"list": "Done"}}]""");
        InstanceState i = instance("c-1", Map.of("vip", false, "score", 3));
        Decision started = start(def, i);
        assertThat(commands(started)).containsExactly("after");
        assertThat(i.steps.get("both").status).isEqualTo(RunStatus.COMPLETED);
        assertThat(i.steps.get("both").endedAt).isEqualTo(T0);
        assertThat(i.steps.get("both").outputs).isEqualTo(Map.of("branches", List.of("skipped", "skipped")));
        assertThat(started.effects().events).extracting(WorkflowEvent::type).containsExactly(
                WorkflowEvent.Type.InstanceStarted, WorkflowEvent.Type.StepCompleted);
    }

    @Test
    void aBranchConditionThatCannotBeEvaluatedSkipsItsBranchAndIsReportedOnTheSplitAsADecisionDoes() {
        WorkflowDefinition def = valid(CONDITIONAL_SPLIT);
        // no "vip" in the data: the condition errors (no such key), so it does not hold
        InstanceState i = instance("c-1", Map.of("score", 150));
        assertThat(commands(start(def, i))).containsExactly("always", "high");
        assertThat(i.steps.get("both").outputs).isEqualTo(Map.of("branches", List.of("taken", "skipped", "taken")));
        assertThat(i.steps.get("both").error.code()).isEqualTo("ConditionError");
        assertThat(i.steps.get("both").error.message()).startsWith("branch 1, trigger.data.vip == true: ");
        apply(def, i, "always", "Success");
        apply(def, i, "high", "Success");
        // the Split completed on its path, the error kept, and the flow went on
        assertThat(i.steps.get("both").path).isEqualTo("Success");
        assertThat(i.steps.get("both").error.code()).isEqualTo("ConditionError");
        assertThat(i.steps.get("after").status).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void theBranchesChosenAtTheStartHoldWhenTheInstanceIsStoredAndReadBack() {
        WorkflowDefinition def = valid("""
                [{"id": "first", "action": "ContactAddToList", "config": {"list": "L"}},
                 {"id": "both", "action": "Split", "branches": [
                    {"when": "steps.first.list == \\"L\\"", "steps": [
                        {"id": "a", "action": "ContactAddToList", "config": {"list": "A"}}]},
                    {"when": "!has(steps.b)", "steps": [
                        {"id": "b", "action": "ContactAddToList", "config": {"list": "B"}}]}]}]""");
        InstanceState i = instance("c-1", Map.of());
        start(def, i);
        assertThat(commands(apply(def, i, "first", "Success", Map.of("list", "L")))).containsExactly("a", "b");
        // stored and read back between results, as the engine does: the choice is not made again (were it made
        // again, "!has(steps.b)" would no longer hold once b has finished, and b would show as skipped)
        InstanceState reread = StoredState.decode(i.id, i.workspaceId, i.workflowId, i.version, i.contactId,
                i.status.json(), i.startedAt, i.endedAt, StoredState.encode(i));
        apply(def, reread, "b", "Success");
        apply(def, reread, "a", "Success");
        assertThat(reread.status).isEqualTo(RunStatus.COMPLETED);
        assertThat(reread.steps.get("both").outputs).isEqualTo(Map.of("branches", List.of("taken", "taken")));
    }

    // ------------------------------------------------------------------ helpers

    private static WorkflowDefinition valid(String stepsJson) {
        var parsed = DefinitionParser.parse("""
                {"name": "branching", "trigger": {"type": "Webhook.Received"}, "steps": %s}""".formatted(stepsJson));
        assertThat(DefinitionValidator.check(parsed)).isEmpty();
        return parsed.definition();
    }

    private static InstanceState instance(String contactId, Map<String, Object> data) {
        InstanceState i = new InstanceState();
        i.id = "i-" + contactId;
        i.workspaceId = "acme";
        i.workflowId = "wf";
        i.version = 1;
        i.contactId = contactId;
        i.startedAt = T0;
        i.trigger = new TriggerEvent("e-" + contactId, "Webhook.Received", "acme", T0,
                new ContactSnapshot(contactId, "ann@example.com", null, "Ann", null, Map.of()), data);
        return i;
    }

    private static Decision start(WorkflowDefinition def, InstanceState i) {
        return Decider.decide(def, i, new EngineInput.Start(), T0, TIMEOUT);
    }

    private static Decision apply(WorkflowDefinition def, InstanceState i, String stepId, String path) {
        return apply(def, i, stepId, path, Map.of());
    }

    private static Decision apply(WorkflowDefinition def, InstanceState i, String stepId, String path,
                                  Map<String, Object> outputs) {
        var step = i.steps.get(stepId);
        return Decider.decide(def, i, new EngineInput.Result(new ActionResult(step.commandId, i.id, stepId,
                step.action, path, outputs, null, T0)), T0, TIMEOUT);
    }

    private static List<String> commands(Decision d) {
        return d.effects().commands.stream().map(PendingCommand::command).map(c -> c.stepId()).toList();
    }
}
