package io.engageflow.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionError;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.WorkflowEvent;
import io.engageflow.orchestrator.domain.definition.DefinitionParser;
import io.engageflow.orchestrator.domain.definition.DefinitionValidator;
import io.engageflow.orchestrator.domain.definition.ValidationError;
import io.engageflow.orchestrator.domain.definition.WorkflowDefinition;
import io.engageflow.orchestrator.domain.instance.Decider;
import io.engageflow.orchestrator.domain.instance.Effects;
import io.engageflow.orchestrator.domain.instance.InstanceState;
import io.engageflow.orchestrator.domain.instance.InstanceStatus;
import io.engageflow.orchestrator.domain.instance.PendingCommand;
import io.engageflow.orchestrator.domain.instance.StepStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeciderTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Test
    void successPathBlockRunsBeforeTheNextSiblingAndTheInstanceCompletes() throws IOException {
        WorkflowDefinition def = load("data-captured.json");
        InstanceState i = instance("ann@example.com");
        Effects started = Decider.start(def, i, T0, TIMEOUT);
        assertThat(commands(started)).containsExactly("valid");
        assertThat(started.commands.get(0).topic()).isEqualTo("actions.contact.commands");
        assertThat(started.events).extracting(WorkflowEvent::type).containsExactly(WorkflowEvent.Type.InstanceStarted);

        Effects afterFilter = Decider.onResult(def, i, result(i, "valid", "Success", Map.of()), T0, TIMEOUT);
        assertThat(commands(afterFilter)).containsExactly("welcome");
        assertThat(afterFilter.commands.get(0).command().config())
                .containsEntry("subject", "Welcome Ann").containsEntry("body", "Thanks for your entry, Ann!");

        Effects afterEmail = Decider.onResult(def, i, result(i, "welcome", "Success", Map.of("message_id", "m1")),
                T0, TIMEOUT);
        assertThat(commands(afterEmail)).containsExactly("points");
        assertThat(afterEmail.commands.get(0).topic()).isEqualTo("actions.reward.commands");
        assertThat(afterEmail.commands.get(0).command().steps()).containsKey("welcome");

        Effects end = Decider.onResult(def, i, result(i, "points", "Success", Map.of("total_points", 10)), T0,
                TIMEOUT);
        assertThat(i.status).isEqualTo(InstanceStatus.COMPLETED);
        assertThat(end.events).extracting(WorkflowEvent::type)
                .containsExactly(WorkflowEvent.Type.StepCompleted, WorkflowEvent.Type.InstanceEnded);
        assertThat(i.steps.keySet()).containsExactly("valid", "welcome", "points");
        assertThat(i.steps.get("valid").path).isEqualTo("Success");
    }

    @Test
    void failurePathTakesTheOtherBlockAndTheInstanceStillCompletes() throws IOException {
        WorkflowDefinition def = load("data-captured.json");
        InstanceState i = instance(null);
        Decider.start(def, i, T0, TIMEOUT);
        Effects e = Decider.onResult(def, i, result(i, "valid", "Failure", Map.of()), T0, TIMEOUT);
        assertThat(commands(e)).containsExactly("park");
        assertThat(e.commands.get(0).command().config()).containsEntry("list", "Incomplete Data");
        Decider.onResult(def, i, result(i, "park", "Success", Map.of()), T0, TIMEOUT);
        Decider.onResult(def, i, result(i, "points", "Success", Map.of()), T0, TIMEOUT);
        assertThat(i.status).isEqualTo(InstanceStatus.COMPLETED);
        assertThat(i.steps).doesNotContainKey("welcome");
    }

    @Test
    void duplicateLateAndUnknownResultsChangeNothing() throws IOException {
        WorkflowDefinition def = load("data-captured.json");
        InstanceState i = instance("ann@example.com");
        Decider.start(def, i, T0, TIMEOUT);
        ActionResult ok = result(i, "valid", "Success", Map.of());
        Decider.onResult(def, i, ok, T0, TIMEOUT);
        assertThat(Decider.onResult(def, i, ok, T0, TIMEOUT).ignored).contains("already finished");
        assertThat(Decider.onResult(def, i, new ActionResult("x", i.id, "nope", "ContactFilter", "Success",
                Map.of(), null, T0), T0, TIMEOUT).ignored).contains("no step nope");
        ActionResult wrongCommand = new ActionResult("other", i.id, "welcome", "ContactEmailSend", "Success",
                Map.of(), null, T0);
        assertThat(Decider.onResult(def, i, wrongCommand, T0, TIMEOUT).changed()).isFalse();
        assertThat(i.steps.get("welcome").status).isEqualTo(StepStatus.RUNNING);
    }

    @Test
    void aMissingResultTakesFailureWithTimeoutAndALateResultIsIgnored() throws IOException {
        WorkflowDefinition def = load("data-captured.json");
        InstanceState i = instance("ann@example.com");
        Decider.start(def, i, T0, TIMEOUT);
        String commandId = i.steps.get("valid").commandId;
        assertThat(Decider.onClock(def, i, T0.plusSeconds(299), TIMEOUT).changed()).isFalse();
        Effects e = Decider.onClock(def, i, T0.plusSeconds(300), TIMEOUT);
        assertThat(i.steps.get("valid").path).isEqualTo("Failure");
        assertThat(i.steps.get("valid").error.code()).isEqualTo("Timeout");
        assertThat(commands(e)).containsExactly("park");
        ActionResult late = new ActionResult(commandId, i.id, "valid", "ContactFilter", "Success", Map.of(), null, T0);
        assertThat(Decider.onResult(def, i, late, T0, TIMEOUT).changed()).isFalse();
    }

    @Test
    void decisionSplitAndDelay() {
        WorkflowDefinition def = DefinitionParser.parse("""
                {"name": "flow", "trigger": {"type": "Loyalty.PointsAwarded"},
                 "steps": [
                   {"id": "tier", "action": "Decision", "config": {"cases": [
                       {"when": "contact.properties.total_points >= 1000", "path": "Gold"}], "default": "Other"},
                    "paths": {"Gold": [{"id": "gold", "action": "LoyaltyAddToTier", "config": {"tier": "Gold"}}]}},
                   {"id": "both", "action": "Split", "branches": [
                       [{"id": "a", "action": "AssignContactAchievement", "config": {"achievement": "A"}}],
                       [{"id": "wait", "action": "Delay", "config": {"duration": "PT1H"}},
                        {"id": "b", "action": "ContactAddToList", "config": {"list": "B"}}]]},
                   {"id": "last", "action": "ContactAddToList", "config": {"list": "Done"}}
                 ]}""").definition();
        InstanceState i = instance("ann@example.com");
        i.trigger = new TriggerEvent("e", "Loyalty.PointsAwarded", "acme", T0, new ContactSnapshot("c-1",
                "ann@example.com", null, "Ann", null, Map.of("total_points", 1500)), Map.of());
        assertThat(commands(Decider.start(def, i, T0, TIMEOUT))).containsExactly("gold");
        assertThat(i.steps.get("tier").path).isEqualTo("Gold");
        assertThat(commands(Decider.onResult(def, i, result(i, "gold", "Success", Map.of()), T0, TIMEOUT)))
                .containsExactly("a");
        assertThat(i.steps.get("wait").dueAt).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(commands(Decider.onResult(def, i, result(i, "a", "Success", Map.of()), T0, TIMEOUT))).isEmpty();
        assertThat(i.steps.get("both").status).isEqualTo(StepStatus.RUNNING);
        assertThat(commands(Decider.onClock(def, i, T0.plus(Duration.ofHours(1)), TIMEOUT))).containsExactly("b");
        assertThat(commands(Decider.onResult(def, i, result(i, "b", "Success", Map.of()), T0, TIMEOUT)))
                .containsExactly("last");
        assertThat(i.steps.get("both").status).isEqualTo(StepStatus.COMPLETED);
    }

    @Test
    void cancelStopsRunningStepsAndLaterResultsAreIgnored() throws IOException {
        WorkflowDefinition def = load("data-captured.json");
        InstanceState i = instance("ann@example.com");
        Decider.start(def, i, T0, TIMEOUT);
        ActionResult r = result(i, "valid", "Success", Map.of());
        Decider.cancel(i, T0);
        assertThat(i.status).isEqualTo(InstanceStatus.CANCELLED);
        assertThat(i.steps.get("valid").status).isEqualTo(StepStatus.CANCELLED);
        assertThat(Decider.onResult(def, i, r, T0, TIMEOUT).changed()).isFalse();
    }

    /** A definition as it may be stored: parsed, not validated (a version saved before the catalog changed). */
    private static WorkflowDefinition stored(String stepsJson) {
        return DefinitionParser.parse("""
                {"name": "stored", "trigger": {"type": "Webhook.Received"}, "steps": %s}""".formatted(stepsJson))
                .definition();
    }

    private static InstanceState instanceWithData(Map<String, Object> data) {
        InstanceState i = instance("ann@example.com");
        i.trigger = new TriggerEvent("e-1", "Webhook.Received", "acme", T0, i.trigger.contact(), data);
        return i;
    }

    /** The instance ended failed at T0 because of the step, with no command sent, and said so on workflow.events. */
    private static void assertFailedAt(InstanceState i, Effects e, String stepId, String errorCode) {
        assertThat(i.status).isEqualTo(InstanceStatus.FAILED);
        assertThat(i.endedAt).isEqualTo(T0);
        assertThat(i.steps.get(stepId).status).isEqualTo(StepStatus.FAILED);
        assertThat(i.steps.get(stepId).path).isEqualTo("Failure");
        assertThat(i.steps.get(stepId).error.code()).isEqualTo(errorCode);
        assertThat(e.commands).isEmpty();
        WorkflowEvent ended = e.events.get(e.events.size() - 1);
        assertThat(ended.type()).isEqualTo(WorkflowEvent.Type.InstanceEnded);
        assertThat(ended.status()).isEqualTo("failed");
    }

    @Test
    void anActionTheCatalogNoLongerKnowsFailsTheInstanceWhenItIsReached() {
        WorkflowDefinition def = stored("""
                [{"id": "first", "action": "ContactAddToList", "config": {"list": "L"}},
                 {"id": "gone", "action": "ContactTeleport", "config": {"to": "Mars"}}]""");
        assertThat(DefinitionValidator.validate(def)).extracting(ValidationError::path)
                .containsExactly("steps[1].action"); // only a stored version can hold it
        InstanceState i = instance("ann@example.com");
        assertThat(commands(Decider.start(def, i, T0, TIMEOUT))).containsExactly("first");
        Effects e = Decider.onResult(def, i, result(i, "first", "Success", Map.of()), T0, TIMEOUT);
        assertFailedAt(i, e, "gone", "UnknownAction");
        assertThat(i.steps.get("gone").error.message()).contains("ContactTeleport");
        assertThat(i.steps.get("first").path).isEqualTo("Success");
    }

    @Test
    void aTemplateThatCannotBeRenderedFailsTheInstanceAndTheOtherBranchIsCancelledUnsent() {
        // an unclosed section: mustache cannot compile it, whatever the data
        WorkflowDefinition def = stored("""
                [{"id": "both", "action": "Split", "branches": [
                    [{"id": "slow", "action": "ContactAddToList", "config": {"list": "L"}}],
                    [{"id": "mail", "action": "ContactEmailSend",
                      "config": {"subject": "Hi {{#trigger.data}}", "body": "b"}}]]}]""");
        InstanceState i = instance("ann@example.com");
        Effects e = Decider.start(def, i, T0, TIMEOUT);
        assertFailedAt(i, e, "mail", "InvalidConfig");
        assertThat(i.steps.get("mail").error.message()).contains("template");
        assertThat(i.steps.get("slow").status).isEqualTo(StepStatus.CANCELLED);
        assertThat(i.steps.get("both").status).isEqualTo(StepStatus.CANCELLED);
    }

    @Test
    void aDelayWhoseTimeCannotBeComputedFailsTheInstanceInsteadOfThrowing() {
        Map<String, String> configs = Map.of(
                "unparseable duration", "{\"duration\": \"soon\"}",
                "duration from a template that is no duration", "{\"duration\": \"{{trigger.data.wait}}\"}",
                // parses, but T0 plus a million years is past Instant.MAX: Instant.plus throws DateTimeException
                "duration out of range", "{\"duration\": \"PT8784000000000H\"}",
                "duration from a template out of range", "{\"duration\": \"{{trigger.data.far}}\"}",
                "unparseable until", "{\"until\": \"tomorrow\"}",
                "until from a template that is no instant", "{\"until\": \"{{trigger.data.wait}}\"}",
                "until from a missing value", "{\"until\": \"{{trigger.data.nothing}}\"}",
                "duration template that cannot be rendered", "{\"duration\": \"PT{{#trigger.data}}H\"}");
        configs.forEach((what, config) -> {
            WorkflowDefinition def = stored("""
                    [{"id": "wait", "action": "Delay", "config": %s},
                     {"id": "after", "action": "ContactAddToList", "config": {"list": "L"}}]""".formatted(config));
            InstanceState i = instanceWithData(Map.of("wait", "soon", "far", "PT8784000000000H"));
            Effects e = Decider.start(def, i, T0, TIMEOUT);
            assertThat(i.status).as(what).isEqualTo(InstanceStatus.FAILED);
            assertFailedAt(i, e, "wait", "InvalidConfig");
            assertThat(i.steps).as(what).doesNotContainKey("after");
            assertThat(i.nextDueAt()).as(what).isNull();
        });
    }

    @Test
    void aDelayUntilAnInstantFiresAtThatInstant() {
        WorkflowDefinition def = stored("""
                [{"id": "wait", "action": "Delay", "config": {"until": "2026-11-24T18:00:00Z"}},
                 {"id": "after", "action": "ContactAddToList", "config": {"list": "L"}}]""");
        InstanceState i = instance("ann@example.com");
        assertThat(commands(Decider.start(def, i, T0, TIMEOUT))).isEmpty();
        assertThat(i.steps.get("wait").dueAt).isEqualTo(Instant.parse("2026-11-24T18:00:00Z"));
        assertThat(Decider.onClock(def, i, Instant.parse("2026-11-24T17:59:59Z"), TIMEOUT).changed()).isFalse();
        Instant due = Instant.parse("2026-11-24T18:00:00Z");
        assertThat(commands(Decider.onClock(def, i, due, TIMEOUT))).containsExactly("after");
        assertThat(i.steps.get("wait").path).isEqualTo("Success");
        assertThat(i.steps.get("wait").endedAt).isEqualTo(due);
        assertThat(i.steps.get("after").startedAt).isEqualTo(due);
    }

    @Test
    void aDelayUntilATemplateWaitsForTheInstantItNames() {
        WorkflowDefinition def = stored("""
                [{"id": "wait", "action": "Delay", "config": {"until": "{{trigger.data.drawAt}}"}},
                 {"id": "after", "action": "ContactAddToList", "config": {"list": "L"}}]""");
        InstanceState i = instanceWithData(Map.of("drawAt", "2026-11-25T09:30:00Z"));
        assertThat(commands(Decider.start(def, i, T0, TIMEOUT))).isEmpty();
        assertThat(i.steps.get("wait").dueAt).isEqualTo(Instant.parse("2026-11-25T09:30:00Z"));
        assertThat(i.nextDueAt()).isEqualTo(Instant.parse("2026-11-25T09:30:00Z"));
        assertThat(i.status).isEqualTo(InstanceStatus.RUNNING);
    }

    @Test
    void aDelayUntilAnInstantAlreadyPastFiresAtOnce() {
        WorkflowDefinition def = stored("""
                [{"id": "wait", "action": "Delay", "config": {"until": "{{trigger.data.drawAt}}"}},
                 {"id": "after", "action": "ContactAddToList", "config": {"list": "L"}}]""");
        InstanceState i = instanceWithData(Map.of("drawAt", "2026-11-24T09:00:00Z")); // an hour before T0
        Effects e = Decider.start(def, i, T0, TIMEOUT);
        assertThat(commands(e)).containsExactly("after");
        assertThat(i.steps.get("wait").status).isEqualTo(StepStatus.COMPLETED);
        assertThat(i.steps.get("wait").path).isEqualTo("Success");
        assertThat(i.steps.get("wait").endedAt).isEqualTo(T0);
        assertThat(i.steps.get("wait").dueAt).isNull();
    }

    static ActionResult result(InstanceState i, String stepId, String path, Map<String, Object> outputs) {
        return new ActionResult(i.steps.get(stepId).commandId, i.id, stepId, i.steps.get(stepId).action, path,
                outputs, path.equals("Failure") ? new ActionError("ConditionNotMet", "no") : null, T0);
    }

    private static List<String> commands(Effects e) {
        return e.commands.stream().map(PendingCommand::command).map(c -> c.stepId()).toList();
    }

    static InstanceState instance(String email) {
        InstanceState i = new InstanceState();
        i.id = "i-1";
        i.workspaceId = "acme";
        i.workflowId = "wf";
        i.version = 1;
        i.contactId = "c-1";
        i.startedAt = T0;
        i.trigger = new TriggerEvent("e-1", "Gameplay.DataCaptured", "acme", T0,
                new ContactSnapshot("c-1", email, null, "Ann", null, Map.of()), Map.of());
        return i;
    }

    static WorkflowDefinition load(String name) throws IOException {
        try (InputStream in = DeciderTest.class.getResourceAsStream("/definitions/" + name)) {
            var parsed = DefinitionParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertThat(parsed.errors()).isEmpty();
            return parsed.definition();
        }
    }
}
