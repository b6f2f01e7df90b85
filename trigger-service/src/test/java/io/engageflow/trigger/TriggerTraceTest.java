package io.engageflow.trigger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.common.tracing.Tracing;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.RealInfrastructure;
import io.engageflow.testsupport.TracingOn;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Tracing on: where an instance's trace begins. A trigger published on triggers.inbound with a traceparent is taken
 * under a "trigger intake" span, child of the publisher's, and forwarded under a "trigger forward" span whose
 * context the record on workflow.triggers carries; a trigger posted over HTTP with a traceparent is forwarded in the
 * caller's trace too. No contact data in the spans.
 */
@QuarkusTest
@TestProfile(TracingOn.class)
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_trigger_test"))
class TriggerTraceTest extends TriggerTopics {
    private static final String BODY = """
            {"eventId":"%s","type":"DataCaptured","workspaceId":"acme","contact":{"id":"c-traced",
             "email":"traced@example.com"},"data":{"form":"signup"}}""";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aKafkaTriggerWithATraceparentIsForwardedInItsTrace() {
        ConsumerTask<String, String> forwarded = kafka.consumeStrings().fromTopics("workflow.triggers");
        String eventId = UUID.randomUUID().toString();
        String traceId = hex(32);
        String publisherSpan = hex(16);
        ProducerRecord<String, String> record = new ProducerRecord<>("triggers.inbound", "c-traced",
                BODY.formatted(eventId));
        record.headers().add(new RecordHeader("traceparent", ("00-" + traceId + "-" + publisherSpan + "-01")
                .getBytes(StandardCharsets.UTF_8)));
        kafka.produceStrings().fromRecords(record).awaitCompletion();

        String[] parent = traceparent(awaitForward(forwarded, eventId));
        assertThat(parent[1]).isEqualTo(traceId);
        List<SpanData> trace = Awaitility.await().atMost(WAIT).until(() -> spansOf(traceId), l -> l.size() >= 2);
        SpanData intake = only(trace, "trigger intake");
        SpanData forward = only(trace, "trigger forward");
        assertThat(intake.getParentSpanId()).isEqualTo(publisherSpan);
        assertThat(forward.getParentSpanId()).isEqualTo(intake.getSpanId());
        assertThat(parent[2]).as("the forwarded record carries the forward span").isEqualTo(forward.getSpanId());
        for (SpanData s : trace) {
            assertThat(s.getAttributes().get(Tracing.WORKSPACE_ID)).isEqualTo("acme");
            s.getAttributes().forEach((AttributeKey<?> k, Object v) -> assertThat(String.valueOf(v))
                    .doesNotContain("c-traced").doesNotContain("traced@example.com"));
        }
        forwarded.close();
    }

    @Test
    void anHttpTriggerWithATraceparentIsForwardedInTheCallersTrace() {
        ConsumerTask<String, String> forwarded = kafka.consumeStrings().fromTopics("workflow.triggers");
        String eventId = UUID.randomUUID().toString();
        String traceId = hex(32);
        given().contentType("application/json").header("traceparent", "00-" + traceId + "-" + hex(16) + "-01")
                .body(BODY.formatted(eventId)).post("/api/workspaces/acme/triggers").then().statusCode(202);

        String[] parent = traceparent(awaitForward(forwarded, eventId));
        assertThat(parent[1]).isEqualTo(traceId);
        SpanData forward = Awaitility.await().atMost(WAIT).until(() -> spansOf(traceId).stream()
                .filter(s -> s.getName().equals("trigger forward")).findFirst().orElse(null), s -> s != null);
        assertThat(parent[2]).isEqualTo(forward.getSpanId());
        forwarded.close();
    }

    private static ConsumerRecord<String, String> awaitForward(ConsumerTask<String, String> task, String eventId) {
        return Awaitility.await().atMost(WAIT).until(() -> task.getRecords().stream()
                .filter(r -> eventId.equals(JsonCodec.read(r.value(), TriggerEvent.class).eventId()))
                .findFirst().orElse(null), r -> r != null);
    }

    private static String[] traceparent(ConsumerRecord<String, String> record) {
        Header h = record.headers().lastHeader("traceparent");
        assertThat(h).as("the forwarded record carries a traceparent").isNotNull();
        return new String(h.value(), StandardCharsets.UTF_8).split("-");
    }

    private List<SpanData> spansOf(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    private static SpanData only(List<SpanData> trace, String name) {
        List<SpanData> found = trace.stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(found).as(name).hasSize(1);
        return found.get(0);
    }

    private static String hex(int digits) {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, digits);
    }
}
