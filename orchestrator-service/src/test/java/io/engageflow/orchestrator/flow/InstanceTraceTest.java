package io.engageflow.orchestrator.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.common.tracing.Tracing;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.RealInfrastructure;
import io.engageflow.testsupport.Traceparents;
import io.engageflow.testsupport.TracingOn;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Tracing on: the test plays trigger-service (a trigger with a traceparent) and the action services (each command
 * answered with a result whose traceparent is a child of the command's, as action-runtime makes it), and a
 * three-step run must come out as one connected trace: every span in the trigger's trace, each decision the child of
 * the record that caused it, each command's record carrying its own span.
 */
@QuarkusTest
@TestProfile(TracingOn.class)
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_orchestrator_test"))
class InstanceTraceTest extends FlowTestSupport {
    private static final String CONTACT = "c-traced";
    private static final String EMAIL = "traced@example.com";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aThreeStepRunIsOneTraceFromTheTriggerToTheInstanceEnd() {
        String wf = createActive(withId(fixture("data-captured.json"), "traced-" + WS));
        String traceId = Traceparents.traceId();
        String triggerSpan = Traceparents.spanId();
        TriggerEvent t = trigger("DataCaptured", CONTACT, EMAIL, Map.of());
        KAFKA.produceStrings().fromRecords(Traceparents.carrying(new ProducerRecord<>(Topics.WORKFLOW_TRIGGERS,
                t.contact().id(), JsonCodec.encode(t)), traceId, triggerSpan)).awaitCompletion();
        String id = awaitInstance(wf, CONTACT);

        Map<String, String> commandSpanOfStep = new HashMap<>();
        Map<String, String> actionSpanOfStep = new HashMap<>();
        for (String step : List.of("valid", "welcome", "points")) {
            ConsumerRecord<String, String> record = awaitCommandRecord(id, step);
            String[] parent = Traceparents.of(record);
            assertThat(parent).as("the command of %s carries a traceparent", step).isNotNull();
            assertThat(parent[1]).as("the command of %s is in the trigger's trace", step).isEqualTo(traceId);
            commandSpanOfStep.put(step, parent[2]);
            // the action service's span, a child of the command's: the result carries it
            String actionSpan = Traceparents.spanId();
            actionSpanOfStep.put(step, actionSpan);
            ActionCommand c = JsonCodec.read(record.value(), ActionCommand.class);
            ActionResult result = result(c, "Success");
            KAFKA.produceStrings().fromRecords(Traceparents.carrying(new ProducerRecord<>(Topics.ACTION_RESULTS,
                    c.instanceId(), JsonCodec.encode(result)), traceId, actionSpan)).awaitCompletion();
        }
        awaitEnded(id, "completed");

        List<SpanData> trace = Awaitility.await().atMost(WAIT).until(() -> spansOf(traceId),
                l -> l.stream().anyMatch(s -> s.getName().equals("instance end")));
        assertThat(trace).extracting(SpanData::getName).containsExactlyInAnyOrder("instance start",
                "command issued", "result applied", "command issued", "result applied", "command issued",
                "result applied", "instance end");
        // nothing of this instance went into another trace
        assertThat(spans.getFinishedSpanItems()).filteredOn(s -> id.equals(s.getAttributes().get(Tracing.INSTANCE_ID)))
                .allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(traceId));

        SpanData start = only(trace, "instance start", null);
        assertThat(start.getParentSpanId()).isEqualTo(triggerSpan);
        assertThat(start.getAttributes().get(Tracing.WORKFLOW_ID)).isEqualTo(wf);
        String parentOfNext = start.getSpanId();
        for (String step : List.of("valid", "welcome", "points")) {
            SpanData command = only(trace, "command issued", step);
            assertThat(command.getParentSpanId()).as("command of %s", step).isEqualTo(parentOfNext);
            assertThat(command.getSpanId()).as("the record of %s carries its command's span", step)
                    .isEqualTo(commandSpanOfStep.get(step));
            assertThat(command.getAttributes().get(Tracing.ACTION)).isNotBlank();
            SpanData applied = only(trace, "result applied", step);
            assertThat(applied.getParentSpanId()).as("result of %s", step).isEqualTo(actionSpanOfStep.get(step));
            assertThat(applied.getAttributes().get(Tracing.PATH)).isEqualTo("Success");
            parentOfNext = applied.getSpanId();
        }
        SpanData end = only(trace, "instance end", null);
        assertThat(end.getParentSpanId()).isEqualTo(parentOfNext);
        assertThat(end.getAttributes().get(Tracing.STATUS)).isEqualTo("completed");

        for (SpanData s : trace) {
            assertThat(s.getAttributes().get(Tracing.INSTANCE_ID)).as(s.getName()).isEqualTo(id);
            assertThat(s.getAttributes().get(Tracing.WORKSPACE_ID)).as(s.getName()).isEqualTo(WS);
            // no personal data: neither the contact's id nor its email in any attribute
            s.getAttributes().forEach((AttributeKey<?> key, Object value) -> assertThat(String.valueOf(value))
                    .as("%s of %s", key, s.getName()).doesNotContain(CONTACT).doesNotContain(EMAIL));
        }
    }

    private List<SpanData> spansOf(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    private static SpanData only(List<SpanData> trace, String name, String stepId) {
        List<SpanData> found = trace.stream().filter(s -> s.getName().equals(name))
                .filter(s -> stepId == null || stepId.equals(s.getAttributes().get(Tracing.STEP_ID))).toList();
        assertThat(found).as("%s %s", name, stepId).hasSize(1);
        return found.get(0);
    }

    private ConsumerRecord<String, String> awaitCommandRecord(String instanceId, String stepId) {
        return Awaitility.await().atMost(WAIT).until(() -> commands.getRecords().stream().filter(r -> {
            ActionCommand c = JsonCodec.read(r.value(), ActionCommand.class);
            return c.instanceId().equals(instanceId) && c.stepId().equals(stepId);
        }).findFirst().orElse(null), r -> r != null);
    }

    static ActionResult result(ActionCommand c, String path) {
        return new ActionResult(c.commandId(), c.instanceId(), c.stepId(), c.action(), path, Map.of(), null,
                Instant.now());
    }
}
