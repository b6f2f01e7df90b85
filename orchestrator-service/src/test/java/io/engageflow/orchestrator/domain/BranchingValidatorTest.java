package io.engageflow.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.engageflow.orchestrator.domain.definition.DefinitionParser;
import io.engageflow.orchestrator.domain.definition.DefinitionValidator;
import io.engageflow.orchestrator.domain.definition.ValidationError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 13: what the validator accepts and refuses of an A/B split and of conditional Split branches. */
class BranchingValidatorTest {

    private static List<ValidationError> check(String stepsJson) {
        return DefinitionValidator.check(DefinitionParser.parse(definition(stepsJson)));
    }

    private static String definition(String stepsJson) {
        return """
                {"name": "branching", "trigger": {"type": "Webhook.Received"}, "steps": %s}""".formatted(stepsJson);
    }

    @Test
    void anAbSplitAndConditionalBranchesAreValidAndTheirStepsGetIds() {
        String json = definition("""
                [{"id": "ab", "action": "Decision", "config": {"split": [
                     {"path": "A", "percent": 10}, {"path": "B", "percent": 30}, {"path": "C", "percent": 60},
                     {"path": "Never", "percent": 0}]},
                  "paths": {"A": [{"action": "ContactAddToList", "config": {"list": "A"}}],
                            "C": [{"action": "ContactAddToList", "config": {"list": "C"}}]}},
                 {"id": "both", "action": "Split", "branches": [
                     [{"action": "ContactAddToList", "config": {"list": "All"}}],
                     {"when": "trigger.data.vip == true && steps.ab.path == \\"A\\"",
                      "steps": [{"action": "AssignContactAchievement", "config": {"achievement": "VIP"}}]}]}]""");
        var parsed = DefinitionParser.parse(json);
        assertThat(DefinitionValidator.check(parsed)).isEmpty();
        assertThat(parsed.definition().allSteps()).extracting(s -> s.id())
                .containsExactly("ab", "step-1", "step-2", "both", "step-3", "step-4");
        assertThat(parsed.normalized().at("/steps/1/branches/1/steps/0/id").asText()).isEqualTo("step-4");
        assertThat(parsed.normalized().at("/steps/1/branches/1/when").asText()).startsWith("trigger.data.vip");
    }

    @Test
    void percentsMustBeWholeNumbersFrom0To100AddingUpToExactly100() {
        assertThat(check("""
                [{"id": "ab", "action": "Decision", "config": {"split": [
                    {"path": "A", "percent": 50}, {"path": "B", "percent": 40}]}}]"""))
                .containsExactly(new ValidationError("steps[0].config.split",
                        "the split's percents add up to 90; they must add up to 100"));
        assertThat(check("""
                [{"id": "ab", "action": "Decision", "config": {"split": [
                    {"path": "A", "percent": 60}, {"path": "B", "percent": 50}]}}]"""))
                .extracting(ValidationError::path).containsExactly("steps[0].config.split");
        assertThat(check("""
                [{"id": "ab", "action": "Decision", "config": {"split": [
                    {"path": "A", "percent": -10}, {"path": "B", "percent": 110}]}}]"""))
                .extracting(ValidationError::path, ValidationError::message).containsExactly(
                        tuple("steps[0].config.split[0].percent", "percent is a whole number from 0 to 100"),
                        tuple("steps[0].config.split[1].percent", "percent is a whole number from 0 to 100"));
        // not a whole number: reported where it is, and no sum on top of it
        assertThat(check("""
                [{"id": "ab", "action": "Decision", "config": {"split": [
                    {"path": "A", "percent": 50.5}, {"path": "B", "percent": "50"}, {"path": "C"}]}}]"""))
                .extracting(ValidationError::path).containsExactly("steps[0].config.split[0].percent",
                        "steps[0].config.split[1].percent", "steps[0].config.split[2].percent");
    }

    @Test
    void pathNamesMustBeNonEmptyAndDistinctAndEveryOtherMistakeIsReportedAtItsPath() {
        List<ValidationError> errors = check("""
                [{"id": "ab", "action": "Decision", "default": "x", "config": {"default": "A", "split": [
                    {"path": "A", "percent": 40}, {"path": "A", "percent": 30}, {"path": " ", "percent": 30},
                    {"path": "B", "percent": 0, "weight": 3}, "C"]},
                  "paths": {"Z": [{"id": "z", "action": "ContactAddToList", "config": {"list": "Z"}}]}},
                 {"id": "both", "action": "Decision", "config": {"cases": [{"when": "true", "path": "A"}],
                    "split": [{"path": "A", "percent": 100}]}},
                 {"id": "none", "action": "Decision", "config": {"split": []}}]""");
        assertThat(errors).extracting(ValidationError::path).containsExactlyInAnyOrder(
                "steps[0].default", // not a step field
                "steps[0].config.default",
                "steps[0].config.split[2].path",
                "steps[0].config.split[3].weight",
                "steps[0].config.split[4]",
                "steps[0].config.split[1].path",
                "steps[0].paths.Z",
                "steps[1].config",
                "steps[2].config.split");
        assertThat(errors).contains(
                new ValidationError("steps[0].config.split[1].path",
                        "path A is in the split twice; each path has one share"),
                new ValidationError("steps[0].config.default",
                        "a split sends every contact down one of its paths: it has no default"),
                new ValidationError("steps[1].config", "a Decision routes by cases or by split, not both"),
                new ValidationError("steps[0].paths.Z", "no share of the split leads to path Z; its paths: [A, B]"));
    }

    @Test
    void aBranchConditionIsCheckedAsADecisionCaseIsAndNeverHoldsATemplate() {
        List<ValidationError> errors = check("""
                [{"id": "both", "action": "Split", "branches": [
                    {"when": "trigger.data.a == \\"{{contact.email}}\\"", "steps": [
                        {"id": "a", "action": "ContactAddToList", "config": {"list": "A"}}]},
                    {"when": "trigger.data.score >", "steps": [
                        {"id": "b", "action": "ContactAddToList", "config": {"list": "B"}}]},
                    {"steps": [{"id": "c", "action": "ContactAddToList", "config": {"list": "C"}}], "if": "x"},
                    {"when": "true", "steps": [{"id": "d", "action": "Teleport"}]},
                    {"when": "true", "steps": []}]}]""");
        assertThat(errors).extracting(ValidationError::path).containsExactlyInAnyOrder(
                "steps[0].branches[0].when",
                "steps[0].branches[1].when",
                "steps[0].branches[2].if",
                "steps[0].branches[2].when",
                "steps[0].branches[3].steps[0].action",
                "steps[0].branches[4].steps");
        assertThat(errors).contains(
                new ValidationError("steps[0].branches[0].when", DefinitionValidator.CONDITION_TEMPLATE),
                new ValidationError("steps[0].branches[2].when", "when is required"),
                new ValidationError("steps[0].branches[4].steps", "a branch needs a step"));
        assertThat(errors).filteredOn(e -> e.path().equals("steps[0].branches[1].when"))
                .singleElement().satisfies(e -> assertThat(e.message()).startsWith("invalid condition: "));
    }
}
