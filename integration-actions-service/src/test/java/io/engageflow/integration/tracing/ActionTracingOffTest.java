package io.engageflow.integration.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Tracing off, as it is by default: a command that arrives with a traceparent is answered with a result that carries
 * no trace headers, and no span is exported.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_integration_test"))
class ActionTracingOffTest extends CommandTraceTest {
    @Test
    void byDefaultAResultCarriesNoTraceHeadersAndNothingIsExported() {
        // an HttpRequest the URL guard refuses: answered without any call, so no receiver is needed
        ActionCommand command = driver.command("HttpRequest", ContactSnapshot.ofId("c-1"),
                Map.of("url", "http://10.0.0.1/hook"));
        ProducerRecord<String, String> record = new ProducerRecord<>("actions.integration.commands",
                command.instanceId(), JsonCodec.encode(command));
        record.headers().add(new RecordHeader("traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8)));
        driver.kafka().produceStrings().fromRecords(record).awaitCompletion();

        ConsumerRecord<String, String> answered = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                results.getRecords().stream().filter(r -> JsonCodec.read(r.value(), ActionResult.class).commandId()
                        .equals(command.commandId())).findFirst().orElse(null), r -> r != null);
        assertThat(answered.headers().lastHeader("traceparent")).isNull();
        assertThat(answered.headers().lastHeader("tracestate")).isNull();
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }
}
