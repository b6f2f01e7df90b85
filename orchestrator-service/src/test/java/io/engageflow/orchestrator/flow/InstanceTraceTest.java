package io.engageflow.orchestrator.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.common.tracing.Tracing;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.orchestrator.engine.InstanceEngine;
import io.engageflow.orchestrator.engine.InstanceTraces;
import io.engageflow.orchestrator.tracing.TracingOnClockByHand;
import io.engageflow.testsupport.LogCapture;
import io.engageflow.testsupport.RealInfrastructure;
import io.engageflow.testsupport.Traceparents;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Tracing on: the test plays trigger-service (a trigger with a traceparent) and the action services (each command
 * answered with a result whose traceparent is a child of the command's, as action-runtime makes it), and a
 * three-step run must come out as one connected trace: every span in the trigger's trace, each decision the child of
 * the record that caused it, each command's record carrying its own span. What comes with no record — the clock
 * firing a Delay, an admin's cancel — continues the instance's trace from its row, whatever the process remembers
 * (the clock is fired by hand here, at the point a test chooses).
 */
@QuarkusTest
@TestProfile(TracingOnClockByHand.class)
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_orchestrator_test"))
class InstanceTraceTest extends FlowTestSupport {
    private static final String CONTACT = "c-traced";
    private static final String EMAIL = "traced@example.com";
    /** A Delay of 1 s, then a step "after". */
    private static final String WAIT_THEN_LIST = """
            {"name": "wait, then list", "trigger": {"type": "Contact.Identified"},
             "steps": [{"id": "wait", "action": "Delay", "config": {"duration": "PT1S"}},
                       {"id": "after", "action": "ContactAddToList", "config": {"list": "L"}}]}""";

    @Inject
    InMemorySpanExporter spans;
    @Inject
    InstanceEngine engine;
    @Inject
    Pool pool;
    @Inject
    Vertx vertx;

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

    @Test
    void theStepAfterADelayContinuesTheTriggersTraceInAProcessThatNeverSawIt() {
        String traceId = Traceparents.traceId();
        String id = waitingOnItsDelay("c-delayed", traceId);

        forgetWhatThisProcessKnowsOfTraces();
        ConsumerRecord<String, String> after = fireUntil(() -> commandRecord(id, "after"));

        String[] parent = Traceparents.of(after);
        assertThat(parent).as("the command after the Delay carries a traceparent").isNotNull();
        assertThat(parent[1]).as("the command after the Delay is in the trigger's trace").isEqualTo(traceId);
        SpanData command = awaitSpan(traceId, "command issued", "after");
        SpanData fired = only(spansOf(traceId), "timer fired", null);
        SpanData start = only(spansOf(traceId), "instance start", null);
        assertThat(fired.getParentSpanId()).isEqualTo(start.getSpanId());
        assertThat(command.getParentSpanId()).isEqualTo(fired.getSpanId());
        assertThat(parent[2]).isEqualTo(command.getSpanId());
    }

    @Test
    void aCancelContinuesTheTriggersTraceInAProcessThatNeverSawIt() {
        String wf = createActive("""
                {"name": "list", "trigger": {"type": "Contact.Identified"},
                 "steps": [{"id": "s", "action": "ContactAddToList", "config": {"list": "L"}}]}""");
        String traceId = Traceparents.traceId();
        String id = startTraced(wf, "c-cancelled", traceId);
        awaitCommandRecord(id, "s");

        forgetWhatThisProcessKnowsOfTraces();
        given().post("/api/workspaces/" + WS + "/instances/" + id + "/cancel").then().statusCode(200);

        SpanData end = awaitSpan(traceId, "instance end", null);
        SpanData cancel = only(spansOf(traceId), "instance cancel", null);
        SpanData start = only(spansOf(traceId), "instance start", null);
        assertThat(cancel.getParentSpanId()).isEqualTo(start.getSpanId());
        assertThat(end.getParentSpanId()).isEqualTo(cancel.getSpanId());
        assertThat(end.getAttributes().get(Tracing.STATUS)).isEqualTo("cancelled");
    }

    @Test
    void theErrorAboutAnInstanceWhoseStateCannotBeReadNamesItsTraceInstanceAndWorkspace() {
        String traceId = Traceparents.traceId();
        String id = waitingOnItsDelay("c-unreadable", traceId);
        // a hand edit gone wrong: the row's state is no longer JSON the engine can read
        pool.preparedQuery("UPDATE workflow_instance SET state_json = 'not json' WHERE id = $1")
                .execute(Tuple.of(id)).await().indefinitely();

        try (LogCapture log = LogCapture.start()) {
            String about = "instance " + id + " has a stored state that cannot be read";
            LogCapture.Line line = fireUntil(() -> log.linesContaining(about).stream().findFirst().orElse(null));
            assertThat(line.text()).startsWith("ERROR");
            assertThat(line.mdc()).containsEntry("traceId", traceId).containsEntry("instanceId", id)
                    .containsEntry("workspaceId", WS);
        }
        assertThat(pool.preparedQuery("SELECT status FROM workflow_instance WHERE id = $1").execute(Tuple.of(id))
                .await().indefinitely().iterator().next().getString(0)).isEqualTo("failed");
    }

    /** An instance of {@link #WAIT_THEN_LIST} started in this trace, its start decided: it waits on its Delay. */
    private String waitingOnItsDelay(String contactId, String traceId) {
        String id = startTraced(createActive(WAIT_THEN_LIST), contactId, traceId);
        awaitSpan(traceId, "instance start", null);
        return id;
    }

    /** Sends a trigger for the contact carrying a traceparent of this trace; returns the instance it started. */
    private String startTraced(String workflowId, String contactId, String traceId) {
        TriggerEvent t = trigger("Contact.Identified", contactId, null, Map.of());
        KAFKA.produceStrings().fromRecords(Traceparents.carrying(new ProducerRecord<>(Topics.WORKFLOW_TRIGGERS,
                t.contact().id(), JsonCodec.encode(t)), traceId, Traceparents.spanId())).awaitCompletion();
        return awaitInstance(workflowId, contactId);
    }

    /**
     * A fresh InstanceTraces, as after a restart or in another replica: what this process kept in memory about the
     * instances' traces is gone (the next call through any bean's reference makes a new one).
     */
    private static void forgetWhatThisProcessKnowsOfTraces() {
        Arc.container().getActiveContext(ApplicationScoped.class)
                .destroy(Arc.container().instance(InstanceTraces.class).getBean());
    }

    /**
     * Fires what is due until the answer is there, as the clock's tick does: through the engine, each time on a
     * duplicated Vert.x context of its own (where the scheduler runs a tick, and where MDC fields live).
     */
    private <T> T fireUntil(Supplier<T> answer) {
        return Awaitility.await().atMost(WAIT).until(() -> {
            CompletableFuture<Integer> fired = new CompletableFuture<>();
            VertxContext.getOrCreateDuplicatedContext(vertx).runOnContext(tick -> engine.fireDue(200).subscribe()
                    .with(fired::complete, fired::completeExceptionally));
            fired.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return answer.get();
        }, a -> a != null);
    }

    private SpanData awaitSpan(String traceId, String name, String stepId) {
        Awaitility.await().atMost(WAIT).until(() -> spansOf(traceId).stream().anyMatch(s -> s.getName().equals(name)
                && (stepId == null || stepId.equals(s.getAttributes().get(Tracing.STEP_ID)))));
        return only(spansOf(traceId), name, stepId);
    }

    private ConsumerRecord<String, String> commandRecord(String instanceId, String stepId) {
        return commands.getRecords().stream().filter(r -> {
            ActionCommand c = JsonCodec.read(r.value(), ActionCommand.class);
            return c.instanceId().equals(instanceId) && c.stepId().equals(stepId);
        }).findFirst().orElse(null);
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
        return Awaitility.await().atMost(WAIT).until(() -> commandRecord(instanceId, stepId), r -> r != null);
    }

    static ActionResult result(ActionCommand c, String path) {
        return new ActionResult(c.commandId(), c.instanceId(), c.stepId(), c.action(), path, Map.of(), null,
                Instant.now());
    }
}
