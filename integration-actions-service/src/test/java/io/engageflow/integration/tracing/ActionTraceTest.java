package io.engageflow.integration.tracing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engageflow.common.tracing.Tracing;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.integration.WireMockPeer;
import io.engageflow.integration.WireMockPeer.InjectPeer;
import io.engageflow.testsupport.RealInfrastructure;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Tracing on, in an action service (action-runtime's CommandPipeline around a real outside call): a command that
 * carries a traceparent is run under an action span, child of the command's; the call to the receiver is a child
 * span of that; the result record carries the action span's context, so the orchestrator's next decision continues
 * the trace. The JSON log line about the command names its trace, instance and workspace.
 */
@QuarkusTest
@TestProfile(TracingOnWithJsonLog.class)
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_integration_test"))
@QuarkusTestResource(WireMockPeer.class)
class ActionTraceTest extends CommandTraceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ContactSnapshot ANN = new ContactSnapshot("c-traced", "traced@example.com", null, "Ann",
            null, Map.of());
    @InjectPeer
    WireMockPeer.Server receiver;

    @Test
    void aTracedCommandRunsUnderAnActionSpanWithTheCallAsChildAndItsResultCarriesThatSpan() throws IOException {
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        String traceId = hex(32);
        String commandSpan = hex(16);
        ActionCommand command = driver.command("HttpRequest", ANN, Map.of("url", receiver.base() + "/hook",
                "body", Map.of("email", ANN.email())));
        ProducerRecord<String, String> record = new ProducerRecord<>("actions.integration.commands",
                command.instanceId(), JsonCodec.encode(command));
        record.headers().add(new RecordHeader("traceparent", ("00-" + traceId + "-" + commandSpan + "-01")
                .getBytes(StandardCharsets.UTF_8)));
        driver.kafka().produceStrings().fromRecords(record).awaitCompletion();

        ConsumerRecord<String, String> answered = Awaitility.await().atMost(WAIT).until(() -> results.getRecords()
                .stream().filter(r -> JsonCodec.read(r.value(), ActionResult.class).commandId()
                        .equals(command.commandId())).findFirst().orElse(null), r -> r != null);
        assertThat(JsonCodec.read(answered.value(), ActionResult.class).path()).isEqualTo("Success");
        receiver.verify(1, postRequestedFor(urlEqualTo("/hook")));

        List<SpanData> trace = Awaitility.await().atMost(WAIT).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId)).toList(), l -> l.size() >= 2);
        assertThat(trace).extracting(SpanData::getName).containsExactlyInAnyOrder("action HttpRequest",
                "outside call");
        SpanData action = trace.stream().filter(s -> s.getName().equals("action HttpRequest")).findFirst().get();
        SpanData call = trace.stream().filter(s -> s.getName().equals("outside call")).findFirst().get();
        assertThat(action.getParentSpanId()).isEqualTo(commandSpan);
        assertThat(call.getParentSpanId()).isEqualTo(action.getSpanId());
        assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
        // the call took place inside the action's span
        assertThat(call.getStartEpochNanos()).isGreaterThanOrEqualTo(action.getStartEpochNanos());
        assertThat(call.getEndEpochNanos()).isLessThanOrEqualTo(action.getEndEpochNanos());
        for (SpanData s : trace) {
            assertThat(s.getAttributes().get(Tracing.INSTANCE_ID)).isEqualTo(command.instanceId());
            assertThat(s.getAttributes().get(Tracing.WORKSPACE_ID)).isEqualTo(ws);
            assertThat(s.getAttributes().get(Tracing.STEP_ID)).isEqualTo("s1");
            assertThat(s.getAttributes().get(Tracing.ACTION)).isEqualTo("HttpRequest");
            s.getAttributes().forEach((AttributeKey<?> key, Object value) -> assertThat(String.valueOf(value))
                    .doesNotContain(ANN.id()).doesNotContain(ANN.email()));
        }

        Header parent = answered.headers().lastHeader("traceparent");
        assertThat(parent).as("the result carries a traceparent").isNotNull();
        assertThat(new String(parent.value(), StandardCharsets.UTF_8))
                .isEqualTo("00-" + traceId + "-" + action.getSpanId() + "-01");

        // the DEBUG line about the answer, as JSON, with the trace, instance and workspace in its MDC fields
        JsonNode line = Awaitility.await().atMost(WAIT).until(() -> jsonLines().stream()
                .filter(l -> l.path("message").asText().contains(command.commandId())).findFirst().orElse(null),
                l -> l != null);
        assertThat(line.path("message").asText()).contains("answered Success");
        assertThat(line.path("mdc").path("traceId").asText()).isEqualTo(traceId);
        assertThat(line.path("mdc").path("instanceId").asText()).isEqualTo(command.instanceId());
        assertThat(line.path("mdc").path("workspaceId").asText()).isEqualTo(ws);
        assertThat(line.toString()).doesNotContain(ANN.email());
    }

    private static List<JsonNode> jsonLines() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(Path.of(TracingOnWithJsonLog.JSON_LOG), StandardCharsets.UTF_8)) {
            if (l.startsWith("{")) {
                lines.add(json.readTree(l));
            }
        }
        return lines;
    }

    private static String hex(int digits) {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, digits);
    }
}
