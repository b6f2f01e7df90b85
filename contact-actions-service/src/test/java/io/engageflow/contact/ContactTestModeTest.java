package io.engageflow.contact;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.engageflow.contact.ContactPeers.SMS_API;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.testsupport.PlatformEventReader;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * Commands of a test run ({@code test: true}, CONTRACT.md "Runs an admin can act on"): the filter runs for real on the
 * contact's data and leaves the stored contact as it was; an email, an SMS or a list membership is not performed —
 * nothing reaches the SMTP server or the SMS provider, no membership, no platform event — and the answer says what
 * would have been sent. That nothing was sent is proven with a marker: a later real command's email, SMS or event,
 * which the peer receives after anything the test command would have caused.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_contact_test"))
@QuarkusTestResource(ContactPeers.class)
class ContactTestModeTest extends ContactCommands {
    private static ContactSnapshot contact(String id, String email, Map<String, Object> properties) {
        return new ContactSnapshot(id, email, "+15550100", "Ann", null, properties);
    }

    /** The same command as a test run's. */
    private static ActionCommand test(ActionCommand c) {
        return new ActionCommand(c.commandId(), c.instanceId(), c.stepId(), c.attempt(), c.workspaceId(), c.action(),
                c.config(), c.contact(), c.trigger(), c.deadline(), c.steps(), true);
    }

    @Test
    void aTestEmailReachesNoServerAndAnswersWhatItWouldHaveSentTheSameOnRedelivery() throws Exception {
        String to = "test-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        String id = "c-" + UUID.randomUUID();
        ActionCommand email = test(driver.command("ContactEmailSend", contact(id, to, Map.of()),
                Map.of("subject", "Welcome Ann", "body", "Thanks for your entry, Ann!")));
        driver.send(email);
        driver.send(email); // delivered again: answered from its record, still nothing sent
        Awaitility.await().atMost(WAIT).until(() -> driver.resultsFor(email.commandId()).size() == 2);

        List<ActionResult> results = driver.resultsFor(email.commandId());
        assertThat(results).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("Success");
            assertThat(r.error()).isNull();
            // the config as resolved; the recipient is not resolved in a test run (it is the contact's email)
            assertThat(r.outputs()).isEqualTo(Map.of("test", true, "wouldSend",
                    Map.of("subject", "Welcome Ann", "body", "Thanks for your entry, Ann!")));
        });

        ActionCommand marker = driver.command("ContactEmailSend", contact(id, to, Map.of()),
                Map.of("subject", "Marker", "body", "sent for real"));
        assertThat(driver.run(marker).path()).isEqualTo("Success");
        Awaitility.await().atMost(WAIT).until(() -> !ContactPeers.receivedBy(to).isEmpty());
        // the marker was sent after the test command was answered twice: a test email would be in before it
        assertThat(ContactPeers.receivedBy(to)).extracting(MimeMessage::getSubject).containsExactly("Marker");
        given().get("/api/workspaces/" + ws + "/contacts/" + id + "/messages").then().statusCode(200)
                .body("subject", Matchers.equalTo(List.of("Marker")));
    }

    @Test
    void aTestEmailToAnAddressOfItsConfigReportsThatAddress() {
        ActionResult r = driver.run(test(driver.command("ContactEmailSend",
                contact("c-" + UUID.randomUUID(), null, Map.of()),
                Map.of("subject", "Hi", "template", "<p>Hi</p>", "to", "someone@example.com"))));
        assertThat(r.path()).isEqualTo("Success");
        assertThat(r.outputs()).isEqualTo(Map.of("test", true, "wouldSend",
                Map.of("subject", "Hi", "template", "<p>Hi</p>", "to", "someone@example.com")));
    }

    @Test
    void aTestSmsReachesNoProvider() {
        ContactPeers.smsAccepts("SM77");
        String code = UUID.randomUUID().toString().substring(0, 8);
        ActionResult r = driver.run(test(driver.command("ContactSmsSend",
                contact("c-" + UUID.randomUUID(), null, Map.of()), Map.of("message", "Test " + code))));
        assertThat(r.path()).isEqualTo("Success");
        assertThat(r.outputs()).isEqualTo(Map.of("test", true, "wouldSend", Map.of("message", "Test " + code)));

        ActionResult marker = driver.run(driver.command("ContactSmsSend",
                contact("c-" + UUID.randomUUID(), null, Map.of()), Map.of("message", "Marker " + code)));
        assertThat(marker.path()).isEqualTo("Success");
        // the provider answered the marker, sent after the test command was answered: a test SMS would be in too
        ContactPeers.sms.verify(1, postRequestedFor(urlEqualTo(SMS_API))
                .withRequestBody(containing("Marker+" + code)));
        ContactPeers.sms.verify(0, postRequestedFor(urlEqualTo(SMS_API))
                .withRequestBody(containing("Test+" + code)));
    }

    @Test
    void aTestFilterEvaluatesTheContactsDataForRealAndStoresNothingOfItsSnapshot() {
        String condition = "contact.properties.city == 'Bergen'";
        // a contact this service knows, in Oslo
        String known = "c-" + UUID.randomUUID();
        assertThat(driver.run(driver.command("ContactAddToList", contact(known, "ann@example.com",
                Map.of("city", "Oslo")), Map.of("list", "Known"))).path()).isEqualTo("Success");

        ActionResult oslo = driver.run(test(driver.command("ContactFilter",
                contact(known, "ann@example.com", Map.of("city", "Oslo")), Map.of("condition", condition))));
        assertThat(oslo.path()).isEqualTo("Failure");
        assertThat(oslo.error().code()).isEqualTo("ConditionNotMet");
        assertThat(oslo.outputs()).isEmpty();

        // the test trigger's newer snapshot says Bergen: the filter sees the contact as the real one would
        ActionResult bergen = driver.run(test(driver.command("ContactFilter",
                contact(known, "ann@bergen.example", Map.of("city", "Bergen")), Map.of("condition", condition))));
        assertThat(bergen.path()).isEqualTo("Success");
        assertThat(bergen.outputs()).isEqualTo(Map.of("condition", condition));
        // ... and the stored contact is as before the test run
        given().get("/api/workspaces/" + ws + "/contacts/" + known).then().statusCode(200)
                .body("email", Matchers.equalTo("ann@example.com"))
                .body("properties.city", Matchers.equalTo("Oslo"));

        // a contact this service has never seen is not created by a test run
        String unknown = "c-" + UUID.randomUUID();
        assertThat(driver.run(test(driver.command("ContactFilter", contact(unknown, "bo@example.com",
                Map.of("city", "Bergen")), Map.of("condition", condition)))).path()).isEqualTo("Success");
        given().get("/api/workspaces/" + ws + "/contacts/" + unknown).then().statusCode(404);
    }

    @Test
    void aTestAddToListChangesNoMembershipAndFiresNoListAdded() {
        try (PlatformEventReader published = new PlatformEventReader(driver.kafka())) {
            String id = "c-" + UUID.randomUUID();
            String list = "Test List " + UUID.randomUUID();
            ActionResult r = driver.run(test(driver.command("ContactAddToList",
                    contact(id, "ann@example.com", Map.of()), Map.of("list", list))));
            assertThat(r.path()).isEqualTo("Success");
            assertThat(r.outputs()).isEqualTo(Map.of("test", true, "wouldSend", Map.of("list", list)));
            given().get("/api/workspaces/" + ws + "/lists/" + list + "/members").then().statusCode(200)
                    .body("$", Matchers.empty());
            given().get("/api/workspaces/" + ws + "/contacts/" + id).then().statusCode(404);

            // the marker: a real add of the same contact, whose ListAdded comes after any event of the test command
            // (one contact, one key, one partition, published in commit order)
            assertThat(published.eventsBeforeMarker(id, "list", marker -> assertThat(driver.run(driver.command(
                    "ContactAddToList", contact(id, "ann@example.com", Map.of()), Map.of("list", marker))).path())
                    .isEqualTo("Success"))).isEmpty();
            given().get("/api/workspaces/" + ws + "/lists/" + list + "/members").then().statusCode(200)
                    .body("$", Matchers.empty());
        }
    }
}
