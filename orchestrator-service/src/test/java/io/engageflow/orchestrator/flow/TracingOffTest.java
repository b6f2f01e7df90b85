package io.engageflow.orchestrator.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.RealInfrastructure;
import io.engageflow.testsupport.Traceparents;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Tracing off, as it is by default: a trigger that arrives with a traceparent starts a run whose records carry no
 * trace headers, and no span is exported.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_orchestrator_test"))
class TracingOffTest extends FlowTestSupport {
    @Inject
    InMemorySpanExporter spans;

    @Test
    void byDefaultNoRecordCarriesTraceHeadersAndNothingIsExported() {
        String wf = createActive(withId(fixture("data-captured.json"), "untraced-" + WS));
        TriggerEvent t = trigger("DataCaptured", "c-untraced", "ann@example.com", Map.of());
        KAFKA.produceStrings().fromRecords(Traceparents.carrying(new ProducerRecord<>(
                Topics.WORKFLOW_TRIGGERS, t.contact().id(), JsonCodec.encode(t)), Traceparents.traceId(),
                Traceparents.spanId())).awaitCompletion();
        String id = awaitInstance(wf, "c-untraced");
        for (String step : List.of("valid", "welcome", "points")) {
            ActionCommand c = awaitCommand(id, step);
            replyAll(List.of(InstanceTraceTest.result(c, "Success")));
        }
        awaitEnded(id, "completed");

        List<ConsumerRecord<String, String>> records = commands.getRecords().stream()
                .filter(r -> r.key().equals(id)).toList();
        assertThat(records).hasSize(3).allSatisfy(r -> {
            assertThat(r.headers().lastHeader("traceparent")).isNull();
            assertThat(r.headers().lastHeader("tracestate")).isNull();
        });
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }
}
