package io.engageflow.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.orchestrator.domain.definition.DefinitionParser;
import io.engageflow.orchestrator.domain.definition.DefinitionValidator;
import io.engageflow.orchestrator.domain.definition.TemplateRules;
import io.engageflow.orchestrator.domain.definition.WorkflowDefinition;
import io.engageflow.orchestrator.domain.instance.Decider;
import io.engageflow.orchestrator.domain.instance.Decision;
import io.engageflow.orchestrator.domain.instance.EngineInput;
import io.engageflow.orchestrator.domain.instance.InstanceState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 4 in the engine: a definition may use {@code now}, dates, durations, defaults and money in its
 * templates and {@code now}/{@code timestamp}/{@code duration} in its conditions; the validator accepts them and refuses
 * an unknown filter; the engine evaluates them at its decision time (one instant per decision), and a Delay's
 * {@code until} can be computed from {@code now}.
 */
class DatesInDefinitionsTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final String JSON = """
            {"name": "dates", "trigger": {"type": "Webhook.Received"}, "steps": [
              {"id": "route", "action": "Decision", "config": {"cases": [
                 {"when": "timestamp(trigger.data.signup) < now - duration('720h')", "path": "Old"}], "default": "New"},
               "paths": {"Old": [], "New": []}},
              {"id": "mail", "action": "ContactEmailSend", "config": {
                 "subject": "Hi {{trigger.data.nick | default \\"friend\\"}}, {{trigger.data.amount | money \\"USD\\"}} until {{now | plus P7D | format \\"dd MMM\\"}}",
                 "body": "{{now}}"}},
              {"id": "wait", "action": "Delay", "config": {"until": "{{now | plus PT2H}}"}}]}""";

    @Test
    void theValidatorAcceptsDateFiltersAndRefusesUnknownOnes() {
        assertThat(DefinitionValidator.check(DefinitionParser.parse(JSON))).isEmpty();
        assertThat(DefinitionValidator.check(DefinitionParser.parse(JSON.replace("| default", "| upper"))))
                .anySatisfy(e -> assertThat(e.message()).contains("unknown filter upper"));
        assertThat(TemplateRules.syntax("{{#now | default 'x'}}{{/now}}")).isPresent();
        assertThat(TemplateRules.dataOnly("{{trigger.data.nick.bytes | default 'x'}}",
                Map.of("trigger", Map.of("data", Map.of("nick", "Al"))))).isPresent();
    }

    @Test
    void theEngineRendersDatesAtItsDecisionTime() {
        WorkflowDefinition def = DefinitionParser.parse(JSON).definition();
        InstanceState i = DeciderTest.instance("a@b.c"); // started at the same T0
        i.trigger = new TriggerEvent("e-1", "Webhook.Received", "acme", T0,
                new ContactSnapshot("c-1", "a@b.c", null, "Ann", null, Map.of()),
                Map.of("signup", "2026-01-01T00:00:00Z", "amount", 25));

        Decision started = Decider.decide(def, i, new EngineInput.Start(), T0, Duration.ofMinutes(5));
        assertThat(i.steps.get("route").path).as("signed up more than 30 days before now").isEqualTo("Old");
        var command = ((Decision.Applied) started).effects().commands.get(0).command();
        assertThat(command.config()).containsEntry("subject", "Hi friend, $25.00 until 01 Dec")
                .containsEntry("body", "2026-11-24T10:00:00Z");

        ActionResult sent = new ActionResult(i.steps.get("mail").commandId, i.id, "mail", "ContactEmailSend",
                "Success", Map.of(), null, T0);
        Decider.decide(def, i, new EngineInput.Result(sent), T0.plusSeconds(60), Duration.ofMinutes(5));
        assertThat(i.steps.get("wait").dueAt).as("until = the decision's now + 2 h")
                .isEqualTo(T0.plusSeconds(60).plus(Duration.ofHours(2)));
    }
}
