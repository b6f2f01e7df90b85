package io.engageflow.contact;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.PlatformEventReader;
import io.engageflow.testsupport.RealInfrastructure;
import io.engageflow.testsupport.Traceparents;
import io.engageflow.testsupport.TracingOn;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tracing on: a platform event is published in the trace of the step that caused it. Its record on
 * {@code triggers.inbound} carries the action span (the one the result carries too), so trigger-service's intake
 * span is that span's child and the run of a workflow the event starts continues the causing run's trace.
 */
@QuarkusTest
@TestProfile(TracingOn.class)
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_contact_test"))
@QuarkusTestResource(ContactPeers.class)
class ContactEventTraceTest extends ContactCommands {
    private final PlatformEventReader published = new PlatformEventReader(driver.kafka());

    @Inject
    InMemorySpanExporter spans;

    @AfterEach
    void close() {
        published.close();
    }

    @Test
    void theEventOfAListAddCarriesTheActionSpanOfTheCommandThatCausedIt() {
        String id = "c-traced-" + UUID.randomUUID();
        ContactSnapshot ann = new ContactSnapshot(id, id + "@example.com", null, "Ann", null, Map.of());
        ActionCommand add = driver.command("ContactAddToList", ann, Map.of("list", "VIP"));
        String traceId = Traceparents.traceId();
        String commandSpan = Traceparents.spanId();
        driver.kafka().produceStrings().fromRecords(Traceparents.carrying(new ProducerRecord<>(COMMANDS,
                add.instanceId(), JsonCodec.encode(add)), traceId, commandSpan)).awaitCompletion();

        ConsumerRecord<String, String> event = Awaitility.await().atMost(WAIT)
                .until(() -> published.recordsOf(ann.id()), l -> !l.isEmpty()).get(0);
        ConsumerRecord<String, String> result = driver.awaitResultRecord(add.commandId());
        SpanData action = Awaitility.await().atMost(WAIT).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId) && s.getName().equals("action ContactAddToList"))
                .toList(), l -> !l.isEmpty()).get(0);
        assertThat(action.getParentSpanId()).as("the action span is the command's child").isEqualTo(commandSpan);

        String[] eventParent = Traceparents.of(event);
        assertThat(eventParent).as("the event's record carries a traceparent").isNotNull();
        assertThat(eventParent[1]).as("the event is in the command's trace").isEqualTo(traceId);
        assertThat(eventParent[2]).as("the event's parent is the action span").isEqualTo(action.getSpanId());
        assertThat(Traceparents.of(result)).as("the result carries the same span").isEqualTo(eventParent);
    }
}
