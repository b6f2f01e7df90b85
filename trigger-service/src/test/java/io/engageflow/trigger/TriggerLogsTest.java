package io.engageflow.trigger;

import io.engageflow.testsupport.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.RejectedRecord;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A rejected trigger record is logged with its position, eventId and reasons, never with what its sender wrote
 * (issue 12): the reasons the publisher gets on triggers.rejected may quote the record, the log does not.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_trigger_test"))
class TriggerLogsTest extends TriggerTopics {

    @Test
    void rejectedRecordsAreLoggedWithEventIdAndReasonButNotTheContactsAddressOrNumber() {
        ConsumerTask<String, String> rejected = kafka.consumeStrings().fromTopics("triggers.rejected");
        String token = UUID.randomUUID().toString().substring(0, 8);
        String email = "ann-" + token + "@example.com";
        String phone = "+1555" + String.format("%07d", Math.floorMod(token.hashCode(), 10_000_000));
        // the contact given as its address: the parser's reason quotes it
        String unparsable = UUID.randomUUID().toString();
        String unknownType = UUID.randomUUID().toString();
        try (LogCapture logs = LogCapture.start()) {
            kafka.produceStrings().fromRecords(
                    new ProducerRecord<>("triggers.inbound", "c-logs", """
                            {"eventId":"%s","type":"Gameplay.DataCaptured","workspaceId":"acme","contact":"%s"}"""
                            .formatted(unparsable, email)),
                    new ProducerRecord<>("triggers.inbound", "c-logs", """
                            {"eventId":"%s","type":"Moon.Landed","workspaceId":"acme",
                             "contact":{"id":"c-logs","email":"%s","phone":"%s","properties":{"note":"%s"}}}"""
                            .formatted(unknownType, email, phone, token)))
                    .awaitCompletion();
            RejectedRecord parserQuoted = awaitRejection(rejected, unparsable);
            assertThat(parserQuoted.reason()).startsWith("not a valid TriggerEvent").contains(email);
            awaitRejection(rejected, unknownType);

            assertThat(logs.containing(unparsable)).anySatisfy(line -> assertThat(line)
                    .contains("rejected trigger record triggers.inbound-", "not a valid TriggerEvent"));
            assertThat(logs.containing(unknownType)).anySatisfy(line -> assertThat(line)
                    .contains("rejected trigger record triggers.inbound-", "unknown trigger type"));
            assertThat(logs.lines()).noneMatch(line -> line.contains(token) || line.contains(phone));
        } finally {
            rejected.close();
        }
    }
}
