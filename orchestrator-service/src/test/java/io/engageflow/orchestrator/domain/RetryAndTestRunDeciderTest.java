package io.engageflow.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionError;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.orchestrator.domain.definition.DefinitionParser;
import io.engageflow.orchestrator.domain.definition.WorkflowDefinition;
import io.engageflow.orchestrator.domain.instance.Decider;
import io.engageflow.orchestrator.domain.instance.Decision;
import io.engageflow.orchestrator.domain.instance.EngineInput;
import io.engageflow.orchestrator.domain.instance.InstanceState;
import io.engageflow.orchestrator.domain.instance.PendingCommand;
import io.engageflow.orchestrator.domain.instance.Rejection;
import io.engageflow.orchestrator.domain.instance.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decider's part of runs an admin acts on: a retried step, a test run's forced paths and skipped Delays. */
class RetryAndTestRunDeciderTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final WorkflowDefinition SPLIT = parse("""
            [{"id": "both", "action": "Split", "branches": [
                [{"id": "list", "action": "ContactAddToList", "config": {"list": "L"}}],
                [{"id": "hook", "action": "HttpRequest", "config": {"url": "https://example.com/h"}}]]},
             {"id": "after", "action": "LoyaltyAwardPoints", "config": {"points": 5}}]""");

    private static WorkflowDefinition parse(String steps) {
        return DefinitionParser.parse("""
                {"name": "admin", "trigger": {"type": "Webhook.Received"}, "steps": %s}""".formatted(steps))
                .definition();
    }

    private static Decision decide(WorkflowDefinition def, InstanceState i, EngineInput input) {
        return Decider.decide(def, i, input, T0, TIMEOUT);
    }

    private static ActionResult result(InstanceState i, String stepId, String path, ActionError error) {
        return new ActionResult(i.steps.get(stepId).commandId, i.id, stepId, i.steps.get(stepId).action, path,
                Map.of(), error, T0);
    }

    private static List<ActionCommand> commands(Decision d) {
        return d.effects().commands.stream().map(PendingCommand::command).toList();
    }

    @Test
    void aRetryRestartsTheFailedStepAndTheStepsItsFailureCancelledEachWithItsNextAttempt() {
        InstanceState i = DeciderTest.instance("ann@example.com");
        decide(SPLIT, i, new EngineInput.Start());
        decide(SPLIT, i, new EngineInput.Result(result(i, "hook", "Failure",
                new ActionError(ErrorCodes.DEAD_LETTERED, "parked"))));
        assertThat(i.status).isEqualTo(RunStatus.FAILED);
        assertThat(i.steps.get("list").status).isEqualTo(RunStatus.CANCELLED);

        Decision retried = decide(SPLIT, i, new EngineInput.RetryStep());
        assertThat(i.status).isEqualTo(RunStatus.RUNNING);
        assertThat(i.endedAt).isNull();
        assertThat(commands(retried)).extracting(ActionCommand::commandId)
                .containsExactlyInAnyOrder("i-1:list:2", "i-1:hook:2");
        assertThat(commands(retried)).allMatch(c -> c.attempt() == 2 && !c.test());

        decide(SPLIT, i, new EngineInput.Result(result(i, "list", "Success", null)));
        Decision joined = decide(SPLIT, i, new EngineInput.Result(result(i, "hook", "Success", null)));
        assertThat(commands(joined)).extracting(ActionCommand::commandId).containsExactly("i-1:after:1");
        decide(SPLIT, i, new EngineInput.Result(result(i, "after", "Success", null)));
        assertThat(i.status).isEqualTo(RunStatus.COMPLETED);
        assertThat(i.steps.get("both").path).isEqualTo("Success");
    }

    @Test
    void onlyAFailedInstanceWithAFailedStepIsRetried() {
        InstanceState running = DeciderTest.instance("ann@example.com");
        decide(SPLIT, running, new EngineInput.Start());
        assertThat(decide(SPLIT, running, new EngineInput.RetryStep())).isInstanceOfSatisfying(
                Decision.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Rejection.NOTHING_TO_RETRY));

        // failed without a step (a record of it was parked): nothing to retry
        InstanceState aborted = DeciderTest.instance("ann@example.com");
        decide(SPLIT, aborted, new EngineInput.Start());
        decide(SPLIT, aborted, new EngineInput.Abort(null, ErrorCodes.DEAD_LETTERED, "parked"));
        assertThat(aborted.status).isEqualTo(RunStatus.FAILED);
        assertThat(decide(SPLIT, aborted, new EngineInput.RetryStep()).changed()).isFalse();
        assertThat(aborted.status).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void aTestRunTakesForcedPathsAtOncePassesDelaysAndMarksItsCommands() {
        WorkflowDefinition def = parse("""
                [{"id": "lead", "action": "HttpRequest", "config": {"url": "https://crm.example.com"},
                  "paths": {"Failure": [{"id": "sorry", "action": "ContactEmailSend",
                                         "config": {"subject": "Sorry", "body": "b"}}]}},
                 {"id": "wait", "action": "Delay", "config": {"duration": "PT24H"}},
                 {"id": "points", "action": "LoyaltyAwardPoints", "config": {"points": 5}}]""");
        InstanceState i = DeciderTest.instance("ann@example.com");
        i.test = true;
        i.forcePaths = Map.of("lead", "Failure");
        Decision started = decide(def, i, new EngineInput.Start());
        assertThat(i.steps.get("lead").path).isEqualTo("Failure");
        assertThat(i.steps.get("lead").outputs).isEqualTo(Map.of("forced", true));
        assertThat(commands(started)).extracting(ActionCommand::stepId).containsExactly("sorry");
        assertThat(commands(started).get(0).test()).isTrue();

        Decision afterSorry = decide(def, i, new EngineInput.Result(result(i, "sorry", "Success", null)));
        assertThat(i.steps.get("wait").outputs).isEqualTo(Map.of("skipped", "test run"));
        assertThat(commands(afterSorry)).extracting(ActionCommand::stepId).containsExactly("points");
        assertThat(commands(afterSorry).get(0).test()).isTrue();

        // the same definition in a real run: forced paths mean nothing, the Delay waits
        InstanceState real = DeciderTest.instance("ann@example.com");
        real.forcePaths = Map.of("lead", "Failure");
        Decision realStart = decide(def, real, new EngineInput.Start());
        assertThat(commands(realStart)).extracting(ActionCommand::stepId).containsExactly("lead");
        assertThat(commands(realStart).get(0).test()).isFalse();
    }
}
