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
import io.engageflow.orchestrator.domain.instance.Decision;
import io.engageflow.orchestrator.domain.instance.Effects;
import io.engageflow.orchestrator.domain.instance.EngineInput;
import io.engageflow.orchestrator.domain.instance.InstanceState;
import io.engageflow.orchestrator.domain.instance.PendingCommand;
import io.engageflow.orchestrator.domain.instance.Rejection;
import io.engageflow.orchestrator.domain.instance.RunStatus;
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
        Effects started = start(def, i).effects();
        assertThat(commands(started)).containsExactly("valid");
        assertThat(started.commands.get(0).topic()).isEqualTo("actions.contact.commands");
        assertThat(started.events).extracting(WorkflowEvent::type).containsExactly(WorkflowEvent.Type.InstanceStarted);

        Effects afterFilter = apply(def, i, result(i, "valid", "Success", Map.of())).effects();
        assertThat(commands(afterFilter)).containsExactly("welcome");
        assertThat(afterFilter.commands.get(0).command().config())
                .containsEntry("subject", "Welcome Ann").containsEntry("body", "Thanks for your entry, Ann!");

        Effects afterEmail = apply(def, i, result(i, "welcome", "Success", Map.of("message_id", "m1"))).effects();
        assertThat(commands(afterEmail)).containsExactly("points");
        assertThat(afterEmail.commands.get(0).topic()).isEqualTo("actions.reward.commands");
        assertThat(afterEmail.commands.get(0).command().steps()).containsKey("welcome");

        Effects end = apply(def, i, result(i, "points", "Success", Map.of("total_points", 10))).effects();
        assertThat(i.status).isEqualTo(RunStatus.COMPLETED);
        assertThat(end.events).extracting(WorkflowEvent::type)
                .containsExactly(WorkflowEvent.Type.StepCompleted, WorkflowEvent.Type.InstanceEnded);
        assertThat(i.steps.keySet()).containsExactly("valid", "welcome", "points");
        assertThat(i.steps.get("valid").path).isEqualTo("Success");
    }

    @Test
    void failurePathTakesTheOtherBlockAndTheInstanceStillCompletes() throws IOException {
        WorkflowDefinition def = load("data-captured.json");
        InstanceState i = instance(null);
        start(def, i);
        Effects e = apply(def, i, result(i, "valid", "Failure", Map.of())).effects();
        assertThat(commands(e)).containsExactly("park");
        assertThat(e.commands.get(0).command().config()).containsEntry("list", "Incomplete Data");
        apply(def, i, result(i, "park", "Success", Map.of()));
        apply(def, i, result(i, "points", "Success", Map.of()));
        assertThat(i.status).isEqualTo(RunStatus.COMPLETED);
        assertThat(i.steps).doesNotContainKey("welcome");
    }

    @Test
    void duplicateLateAndUnknownResultsChangeNothing() throws IOException {
        WorkflowDefinition def = load("data-captured.json");
        InstanceState i = instance("ann@example.com");
        start(def, i);
        ActionResult ok = result(i, "valid", "Success", Map.of());
        apply(def, i, ok);
        assertThat(apply(def, i, ok))
                .isEqualTo(new Decision.Rejected(Rejection.STEP_FINISHED, "step valid already finished"));
        assertThat(apply(def, i, new ActionResult("x", i.id, "nope", "ContactFilter",
                "Success", Map.of(), null, T0)))
                .isEqualTo(new Decision.Rejected(Rejection.STEP_NOT_STARTED, "no step nope was started"));
        ActionResult wrongCommand = new ActionResult("other", i.id, "welcome", "ContactEmailSend", "Success",
                Map.of(), null, T0);
        assertThat(apply(def, i, wrongCommand))
                .extracting(d -> ((Decision.Rejected) d).reason()).isEqualTo(Rejection.STALE_COMMAND);
        assertThat(i.steps.get("welcome").status).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void aMissingResultTakesFailureWithTimeoutAndALateResultIsIgnored() throws IOException {
        WorkflowDefinition def = load("data-captured.json");
        InstanceState i = instance("ann@example.com");
        start(def, i);
        String commandId = i.steps.get("valid").commandId;
        assertThat(clock(def, i, T0.plusSeconds(299)).changed()).isFalse();
        Effects e = clock(def, i, T0.plusSeconds(300)).effects();
        assertThat(i.steps.get("valid").path).isEqualTo("Failure");
        assertThat(i.steps.get("valid").error.code()).isEqualTo("Timeout");
        assertThat(commands(e)).containsExactly("park");
        ActionResult late = new ActionResult(commandId, i.id, "valid", "ContactFilter", "Success", Map.of(), null, T0);
        assertThat(apply(def, i, late).changed()).isFalse();
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
        assertThat(commands(start(def, i))).containsExactly("gold");
        assertThat(i.steps.get("tier").path).isEqualTo("Gold");
        assertThat(commands(apply(def, i, result(i, "gold", "Success", Map.of()))))
                .containsExactly("a");
        assertThat(i.steps.get("wait").dueAt).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(commands(apply(def, i, result(i, "a", "Success", Map.of())))).isEmpty();
        assertThat(i.steps.get("both").status).isEqualTo(RunStatus.RUNNING);
        assertThat(commands(clock(def, i, T0.plus(Duration.ofHours(1))))).containsExactly("b");
        assertThat(commands(apply(def, i, result(i, "b", "Success", Map.of()))))
                .containsExactly("last");
        assertThat(i.steps.get("both").status).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void cancelStopsRunningStepsAndLaterResultsAreIgnored() throws IOException {
        WorkflowDefinition def = load("data-captured.json");
        InstanceState i = instance("ann@example.com");
        start(def, i);
        ActionResult r = result(i, "valid", "Success", Map.of());
        Decider.decide(null, i, new EngineInput.Cancel(), T0, TIMEOUT);
        assertThat(i.status).isEqualTo(RunStatus.CANCELLED);
        assertThat(i.steps.get("valid").status).isEqualTo(RunStatus.CANCELLED);
        assertThat(apply(def, i, r).changed()).isFalse();
    }

    @Test
    void decisionsOfOneRunShareACostBudgetSoManyCostlyCasesEndQuicklyOnTheDefaultPath() {
        // twelve Decisions in a row, each with a case that runs to the step limit, then a case that would hold: all
        // are decided in one go (a Decision finishes at once), so they share one budget of ten evaluations
        String costly = "trigger.data.list.all(x, [" + "x,".repeat(99) + "x].size() == 100)";
        StringBuilder steps = new StringBuilder("[");
        for (int d = 0; d < 12; d++) {
            steps.append(d == 0 ? "" : ",").append("""
                    {"id": "d%d", "action": "Decision", "config": {"cases": [
                        {"when": "%s", "path": "Costly"}, {"when": "true", "path": "Cheap"}], "default": "Other"}}"""
                    .formatted(d, costly));
        }
        WorkflowDefinition def = stored(steps.append("]").toString());
        InstanceState i = instanceWithData(Map.of("list", java.util.stream.LongStream.range(0, 2_000).boxed()
                .toList()));

        start(def, i);

        assertThat(i.status).isEqualTo(RunStatus.COMPLETED);
        for (int d = 0; d < 12; d++) {
            // the costly case fails (it does not hold); while the budget lasts the next case is evaluated and holds
            String expected = d < 9 ? "Cheap" : "Other";
            assertThat(i.steps.get("d" + d).path).as("d%d", d).isEqualTo(expected);
            assertThat(i.steps.get("d" + d).error.code()).as("d%d", d).isEqualTo("ConditionError");
        }
        assertThat(i.steps.get("d0").error.message()).endsWith(
                "condition exceeded its cost limit: more than 100000 evaluation steps");
        assertThat(i.steps.get("d11").error.message()).endsWith(
                "not evaluated: the conditions evaluated with it used up their shared cost limit");
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
        assertThat(i.status).isEqualTo(RunStatus.FAILED);
        assertThat(i.endedAt).isEqualTo(T0);
        assertThat(i.steps.get(stepId).status).isEqualTo(RunStatus.FAILED);
        assertThat(i.steps.get(stepId).path).isEqualTo("Failure");
        assertThat(i.steps.get(stepId).error.code()).isEqualTo(errorCode);
        assertThat(e.commands).isEmpty();
        WorkflowEvent ended = e.events.get(e.events.size() - 1);
        assertThat(ended.type()).isEqualTo(WorkflowEvent.Type.InstanceEnded);
        assertThat(ended.status()).isEqualTo("failed");
    }

    /** The injection of issue 12: a value that, pasted into the condition as text, makes it hold. */
    private static final String INJECTED = "x\"==\"x\"||\"a";

    @Test
    void aStoredFilterConditionWrittenAsATemplateIsNeverRenderedItsStepCannotRun() {
        // stored before templates were refused in conditions: rendered, it would read "x"=="x"||"a" == "blue"
        WorkflowDefinition def = stored("""
                [{"id": "filter", "action": "ContactFilter",
                  "config": {"condition": "\\"{{trigger.data.a}}\\" == \\"blue\\""}}]""");
        InstanceState i = instanceWithData(Map.of("a", INJECTED));
        Effects e = start(def, i).effects();
        assertFailedAt(i, e, "filter", "InvalidConfig");
        assertThat(i.steps.get("filter").error.message()).isEqualTo("condition: "
                + DefinitionValidator.CONDITION_TEMPLATE);
    }

    @Test
    void aFilterConditionGoesOutAsWrittenWhileTheOtherSettingsAreRendered() {
        WorkflowDefinition def = stored("""
                [{"id": "filter", "action": "GameplayFilter", "config": {"condition": "trigger.data.a == 'blue'"}},
                 {"id": "mail", "action": "ContactEmailSend",
                  "config": {"subject": "Hi {{contact.firstName}}", "body": "{{trigger.data.a}}"}}]""");
        InstanceState i = instanceWithData(Map.of("a", INJECTED));
        Effects started = start(def, i).effects();
        assertThat(started.commands).singleElement().satisfies(c ->
                assertThat(c.command().config()).containsExactly(Map.entry("condition", "trigger.data.a == 'blue'")));
        Effects next = apply(def, i, result(i, "filter", "Failure", Map.of())).effects();
        assertThat(next.commands).singleElement().satisfies(c -> assertThat(c.command().config())
                .containsExactly(Map.entry("subject", "Hi Ann"), Map.entry("body", INJECTED)));
    }

    @Test
    void aStoredDecisionCaseWrittenAsATemplateIsEvaluatedAsItsLiteralTextNeverWithTheData() {
        WorkflowDefinition def = stored("""
                [{"id": "route", "action": "Decision", "config": {"cases": [
                    {"when": "\\"{{trigger.data.a}}\\" == \\"blue\\"", "path": "Blue"}], "default": "Other"}},
                 {"id": "read", "action": "Decision", "config": {"cases": [
                    {"when": "trigger.data.a == \\"blue\\"", "path": "Blue"}], "default": "Other"}}]""");
        InstanceState injected = instanceWithData(Map.of("a", INJECTED));
        start(def, injected);
        assertThat(injected.steps.get("route").path).isEqualTo("Other");
        assertThat(injected.steps.get("read").path).isEqualTo("Other");
        InstanceState blue = instanceWithData(Map.of("a", "blue"));
        start(def, blue);
        assertThat(blue.steps.get("route").path).isEqualTo("Other"); // the text "{{trigger.data.a}}" is not "blue"
        assertThat(blue.steps.get("read").path).isEqualTo("Blue");
        assertThat(blue.status).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void aStoredTemplateThatIncludesAFileOrResourceRendersNothing() {
        for (String include : List.of("{{> file:///etc/hostname}}", "{{> application.properties}}",
                "{{=<% %>=}}<%> application.properties %>")) {
            WorkflowDefinition def = stored("""
                    [{"id": "save", "action": "ContactUpdate", "config": {"properties": {"host": "%s"}}}]"""
                    .formatted(include));
            InstanceState i = instanceWithData(Map.of());
            Effects e = start(def, i).effects();
            assertFailedAt(i, e, "save", "InvalidConfig");
            assertThat(i.steps.get("save").error.message()).as(include)
                    .startsWith("could not resolve the step's templates: a template cannot");
        }
    }

    @Test
    void aStoredTemplateThatWouldCallAJavaMemberOfTheDataRendersNothingAndLeavesTheDataAlone() {
        // mustache.java looks a name up on a list or a string by reflection: tags.clear would empty the trigger's list
        Map<String, String> templates = new java.util.LinkedHashMap<>();
        templates.put("x{{trigger.data.tags.clear}}", "list");
        templates.put("n={{trigger.data.tags.size}}", "list");
        templates.put("{{#trigger.data.tags}}{{bytes}}{{/trigger.data.tags}}", "text");
        templates.put("{{#trigger.data.name}}{{empty}}{{/trigger.data.name}}", "text");
        templates.forEach((template, type) -> {
            WorkflowDefinition def = stored("""
                    [{"id": "save", "action": "ContactUpdate", "config": {"properties": {"x": "%s"}}}]"""
                    .formatted(template));
            java.util.List<Object> tags = new java.util.ArrayList<>(List.of("a", "b"));
            InstanceState i = instanceWithData(new java.util.HashMap<>(Map.of("tags", tags, "name", "Ann")));
            Effects e = start(def, i).effects();
            assertFailedAt(i, e, "save", "InvalidConfig");
            assertThat(i.steps.get("save").error.message()).as(template)
                    .startsWith("could not resolve the step's templates: {{")
                    .contains("would read the Java member", "of a " + type);
            assertThat(tags).as(template).containsExactly("a", "b");
        });
    }

    @Test
    void sectionsOverDataStillRender() {
        WorkflowDefinition def = stored("""
                [{"id": "save", "action": "ContactUpdate", "config": {"properties": {
                    "codes": "{{#trigger.data.tags}}{{.}};{{/trigger.data.tags}}",
                    "greeting": "{{#trigger.data.vip}}VIP {{contact.firstName}}{{/trigger.data.vip}}",
                    "items": "{{#trigger.data.items}}{{name}}={{trigger.data.currency}}{{qty}} {{/trigger.data.items}}",
                    "none": "{{^trigger.data.missing}}none{{/trigger.data.missing}}{{! a comment }}"}}}]""");
        InstanceState i = instanceWithData(Map.of("tags", List.of("a", "b"), "vip", true, "currency", "$",
                "items", List.of(Map.of("name", "cup", "qty", 2), Map.of("name", "mug", "qty", 1))));
        Effects e = start(def, i).effects();
        assertThat(e.commands).singleElement().satisfies(c -> assertThat(c.command().config().get("properties"))
                .isEqualTo(Map.of("codes", "a;b;", "greeting", "VIP Ann", "items", "cup=$2 mug=$1 ",
                        "none", "none")));
    }

    @Test
    void anActionTheCatalogNoLongerKnowsFailsTheInstanceWhenItIsReached() {
        WorkflowDefinition def = stored("""
                [{"id": "first", "action": "ContactAddToList", "config": {"list": "L"}},
                 {"id": "gone", "action": "ContactTeleport", "config": {"to": "Mars"}}]""");
        assertThat(DefinitionValidator.validate(def)).extracting(ValidationError::path)
                .containsExactly("steps[1].action"); // only a stored version can hold it
        InstanceState i = instance("ann@example.com");
        assertThat(commands(start(def, i))).containsExactly("first");
        Effects e = apply(def, i, result(i, "first", "Success", Map.of())).effects();
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
        Effects e = start(def, i).effects();
        assertFailedAt(i, e, "mail", "InvalidConfig");
        assertThat(i.steps.get("mail").error.message()).contains("template");
        assertThat(i.steps.get("slow").status).isEqualTo(RunStatus.CANCELLED);
        assertThat(i.steps.get("both").status).isEqualTo(RunStatus.CANCELLED);
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
                "duration template that cannot be rendered", "{\"duration\": \"PT{{#trigger.data}}H\"}",
                // within Instant's range but further than a Delay may wait (400 days)
                "duration from a template past the longest wait", "{\"duration\": \"{{trigger.data.year}}\"}",
                "until past the longest wait", "{\"until\": \"2030-01-01T00:00:00Z\"}");
        configs.forEach((what, config) -> {
            WorkflowDefinition def = stored("""
                    [{"id": "wait", "action": "Delay", "config": %s},
                     {"id": "after", "action": "ContactAddToList", "config": {"list": "L"}}]""".formatted(config));
            InstanceState i = instanceWithData(Map.of("wait", "soon", "far", "PT8784000000000H", "year", "P401D"));
            Effects e = start(def, i).effects();
            assertThat(i.status).as(what).isEqualTo(RunStatus.FAILED);
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
        assertThat(commands(start(def, i))).isEmpty();
        assertThat(i.steps.get("wait").dueAt).isEqualTo(Instant.parse("2026-11-24T18:00:00Z"));
        assertThat(clock(def, i, Instant.parse("2026-11-24T17:59:59Z")).changed()).isFalse();
        Instant due = Instant.parse("2026-11-24T18:00:00Z");
        assertThat(commands(clock(def, i, due))).containsExactly("after");
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
        assertThat(commands(start(def, i))).isEmpty();
        assertThat(i.steps.get("wait").dueAt).isEqualTo(Instant.parse("2026-11-25T09:30:00Z"));
        assertThat(i.nextDueAt()).isEqualTo(Instant.parse("2026-11-25T09:30:00Z"));
        assertThat(i.status).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void aDelayUntilAnInstantAlreadyPastFiresAtOnce() {
        WorkflowDefinition def = stored("""
                [{"id": "wait", "action": "Delay", "config": {"until": "{{trigger.data.drawAt}}"}},
                 {"id": "after", "action": "ContactAddToList", "config": {"list": "L"}}]""");
        InstanceState i = instanceWithData(Map.of("drawAt", "2026-11-24T09:00:00Z")); // an hour before T0
        Effects e = start(def, i).effects();
        assertThat(commands(e)).containsExactly("after");
        assertThat(i.steps.get("wait").status).isEqualTo(RunStatus.COMPLETED);
        assertThat(i.steps.get("wait").path).isEqualTo("Success");
        assertThat(i.steps.get("wait").endedAt).isEqualTo(T0);
        assertThat(i.steps.get("wait").dueAt).isNull();
    }

    static ActionResult result(InstanceState i, String stepId, String path, Map<String, Object> outputs) {
        return new ActionResult(i.steps.get(stepId).commandId, i.id, stepId, i.steps.get(stepId).action, path,
                outputs, path.equals("Failure") ? new ActionError("ConditionNotMet", "no") : null, T0);
    }

    private static Decision start(WorkflowDefinition def, InstanceState i) {
        return Decider.decide(def, i, new EngineInput.Start(), T0, TIMEOUT);
    }

    private static Decision apply(WorkflowDefinition def, InstanceState i, ActionResult r) {
        return Decider.decide(def, i, new EngineInput.Result(r), T0, TIMEOUT);
    }

    private static Decision clock(WorkflowDefinition def, InstanceState i, Instant at) {
        return Decider.decide(def, i, new EngineInput.Timer(), at, TIMEOUT);
    }

    private static List<String> commands(Decision d) {
        return commands(d.effects());
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
