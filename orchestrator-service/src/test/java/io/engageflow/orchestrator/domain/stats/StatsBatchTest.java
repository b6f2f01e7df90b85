package io.engageflow.orchestrator.domain.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.orchestrator.domain.definition.DefinitionParser;
import io.engageflow.orchestrator.domain.definition.WorkflowDefinition;
import io.engageflow.orchestrator.domain.instance.Decider;
import io.engageflow.orchestrator.domain.instance.Decision;
import io.engageflow.orchestrator.domain.instance.EngineInput;
import io.engageflow.orchestrator.domain.instance.InstanceState;
import io.engageflow.orchestrator.domain.instance.RunStatus;
import io.engageflow.orchestrator.domain.stats.StatsBatch.Counter;
import io.engageflow.orchestrator.domain.stats.StatsBatch.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the engine adds to the run statistics for the decisions of one batch. */
class StatsBatchTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final WorkflowDefinition DEF = DefinitionParser.parse("""
            {"name": "stats", "trigger": {"type": "Webhook.Received"},
             "steps": [{"id": "send", "action": "ContactAddToList", "config": {"list": "L"}}]}""").definition();

    private static InstanceState instance(String id) {
        InstanceState i = new InstanceState();
        i.id = id;
        i.workspaceId = "acme";
        i.workflowId = "wf";
        i.version = 2;
        i.contactId = "c-" + id;
        i.startedAt = T0;
        i.trigger = new TriggerEvent("e-" + id, "Webhook.Received", "acme", T0,
                new ContactSnapshot("c-" + id, null, null, null, null, Map.of()), Map.of());
        return i;
    }

    private static Counter counter(String step, String kind, String name) {
        return new Counter("acme", "wf", 2, step, kind, name);
    }

    @Test
    void startsResultsAndFailuresBecomeCounterDeltasAndTheLastFailuresOfEachVersion() {
        StatsBatch batch = new StatsBatch();
        List<InstanceState> all = new ArrayList<>();
        for (int n = 0; n < 25; n++) {
            InstanceState i = instance("i-" + n);
            batch.started(i, Decider.decide(DEF, i, new EngineInput.Start(), T0, Duration.ofMinutes(5)).effects());
            all.add(i);
        }
        // 25 results in the same batch: 2 Success after 1.5 s, 23 Failure with an error code
        for (int n = 0; n < 25; n++) {
            InstanceState i = all.get(n);
            RunStatus before = i.status;
            String path = n < 2 ? "Success" : "Failure";
            var step = i.steps.get("send");
            Decision d = Decider.decide(DEF, i, new EngineInput.Result(new ActionResult(step.commandId, i.id, "send",
                    "ContactAddToList", path, Map.of(), path.equals("Failure")
                    ? new io.engageflow.contracts.ActionError("ProviderError", "down " + n) : null, T0)),
                    T0.plusMillis(1500), Duration.ofMinutes(5));
            batch.decided(before, i, d.effects(), new EngineInput.Result(null));
        }
        // running went up by 25 with the starts and down by 25 with the ends: net 0
        assertThat(batch.counters()).containsEntry(counter("", "status", "running"), 0L)
                .containsEntry(counter("", "status", "completed"), 25L)
                .containsEntry(counter("send", "path", "Success"), 2L)
                .containsEntry(counter("send", "path", "Failure"), 23L)
                .containsEntry(counter("send", "ms", Integer.toString(DurationBuckets.bucket(1500))), 25L)
                .containsEntry(counter("", "failures", ""), 23L);
        // counters come in one order, whatever the order of the decisions
        assertThat(List.copyOf(batch.counters().keySet())).isSortedAccordingTo(
                java.util.Comparator.comparing(Counter::stepId).thenComparing(Counter::kind)
                        .thenComparing(Counter::name));
        // only the last 20 of the 23 failures are kept, in the order they happened
        var kept = batch.failures().get(new Version("acme", "wf", 2));
        assertThat(kept).hasSize(20);
        assertThat(kept.get(0).instanceId()).isEqualTo("i-5");
        assertThat(kept.get(19)).isEqualTo(new StatsBatch.Failure("i-24", "send", "ProviderError", "down 24",
                T0.plusMillis(1500)));
    }

    @Test
    void anInstanceFailedByAParkedRecordCountsAsAFailureWithTheAbortsCode() {
        StatsBatch batch = new StatsBatch();
        InstanceState i = instance("i-1");
        Decider.decide(DEF, i, new EngineInput.Start(), T0, Duration.ofMinutes(5));
        EngineInput.Abort abort = new EngineInput.Abort(null, "DeadLettered", "parked after 3 attempts");
        Decision d = Decider.decide(DEF, i, abort, T0.plusSeconds(1), Duration.ofMinutes(5));
        batch.decided(RunStatus.RUNNING, i, d.effects(), abort);
        assertThat(batch.counters()).containsEntry(counter("", "status", "running"), -1L)
                .containsEntry(counter("", "status", "failed"), 1L);
        assertThat(batch.failures().get(new Version("acme", "wf", 2))).containsExactly(new StatsBatch.Failure("i-1",
                null, "DeadLettered", "parked after 3 attempts", T0.plusSeconds(1)));
    }
}
