package io.engageflow.contact;

import io.engageflow.testsupport.LogCapture;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Logs at INFO and above name ids, never a contact's address or number or a message's text (issue 12): a failed
 * send is logged with its command and the server's code, a parked record with its position; the failure's own text,
 * which quotes the recipient, stays in the result, the dead letter and DEBUG.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_contact_test"))
@QuarkusTestResource(ContactPeers.class)
class ContactLogsTest extends ContactCommands {
    private final String token = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void anEmailTheServerRefusesIsLoggedWithItsCommandAndReplyCodeButNotTheAddressSubjectOrBody() {
        String to = "ann-" + token + "@" + ContactPeers.REFUSING_DOMAIN;
        String subject = "Your prize, Ann " + token;
        String body = "Collect it with code P-" + token;
        ActionCommand cmd = driver.command("ContactEmailSend", new ContactSnapshot("c-refused", to, null, "Ann",
                null, Map.of()), Map.of("subject", subject, "body", body));
        try (LogCapture logs = LogCapture.start()) {
            ActionResult r = driver.run(cmd);
            assertThat(r.error().code()).isEqualTo("DeliveryFailed");
            assertThat(r.error().message()).as("the server's reply quotes the address").contains(to);
            assertThat(logs.containing(cmd.commandId())).anySatisfy(line -> assertThat(line)
                    .contains("not delivered", ws, "SMTP reply 550"));
            assertThat(logs.lines()).noneMatch(line -> line.contains("ann-" + token) || line.contains(subject)
                    || line.contains(body));
        }
    }

    @Test
    void anSmsTheProviderFailsIsLoggedWithItsCommandAndStatusButNotTheNumberOrText() {
        String number = "+1555" + String.format("%07d", ThreadLocalRandom.current().nextInt(10_000_000));
        String text = "Your code is " + token;
        // the provider's error echoes the number and the text, as Twilio's messages do
        ContactPeers.sms.stubFor(post(urlEqualTo("/2010-04-01/Accounts/AC123/Messages.json"))
                .withRequestBody(containing("To=" + URLEncoder.encode(number, StandardCharsets.UTF_8)))
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody("{\"code\": 30008, \"message\": \"'" + text + "' to " + number + " failed\"}")));
        ActionCommand cmd = driver.command("ContactSmsSend", new ContactSnapshot("c-sms-failed", null, number,
                null, null, Map.of()), Map.of("message", text));
        try (LogCapture logs = LogCapture.start()) {
            ActionResult r = driver.run(cmd);
            assertThat(r.error().code()).isEqualTo("DeliveryFailed");
            assertThat(r.error().message()).contains(number, text);
            assertThat(logs.containing(cmd.commandId())).anySatisfy(line -> assertThat(line)
                    .contains("not delivered", ws, "provider answered 500"));
            assertThat(logs.lines()).noneMatch(line -> line.contains(number.substring(1)) || line.contains(text));
        }
    }

    /**
     * A command whose contact is its address, not an object: the parser's reason quotes the address. The dead
     * letter keeps it (the contract: the original and the error); the log names the record's position.
     */
    @Test
    void aParkedCommandIsLoggedWithItsPositionButNotTheAddressTheParserQuotes() {
        String email = "ann-" + token + "@example.com";
        ActionCommand cmd = driver.command("ContactEmailSend", new ContactSnapshot("c-parked", email, null, null,
                null, Map.of()), Map.of("subject", "Hi", "body", "x"));
        Map<String, Object> record = new LinkedHashMap<>(JsonCodec.toMap(JsonCodec.encode(cmd)));
        record.put("contact", email);
        ConsumerTask<String, String> parked = driver.kafka().consumeStrings()
                .fromTopics("actions.contact.commands.dlq");
        try (LogCapture logs = LogCapture.start()) {
            driver.sendRaw(cmd.instanceId(), JsonCodec.encode(record));
            Map<String, Object> letter = Awaitility.await().atMost(WAIT)
                    .until(() -> letterFor(parked, cmd.commandId()), Optional::isPresent).orElseThrow();
            assertThat(String.valueOf(letter.get("error"))).startsWith("unreadable: not a valid ActionCommand")
                    .contains(email);
            String where = "actions.contact.commands-" + letter.get("partition") + "@" + letter.get("offset");
            assertThat(logs.containing(where)).anySatisfy(line -> assertThat(line)
                    .contains("parked", "unreadable: not a valid ActionCommand"));
            assertThat(logs.lines()).noneMatch(line -> line.contains("ann-" + token));
        } finally {
            parked.close();
        }
    }

    private static Optional<Map<String, Object>> letterFor(ConsumerTask<String, String> parked, String commandId) {
        return parked.getRecords().stream().map(r -> JsonCodec.toMap(r.value()))
                .filter(letter -> String.valueOf(letter.get("original")).contains(commandId)).findFirst();
    }
}
