package io.engageflow.contact;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_contact_test"))
@QuarkusTestResource(ContactPeers.class)
class ContactActionsTest extends ContactCommands {
    private static final String VALID_EMAIL =
            "has(contact.email) && contact.email.matches('^[^@\\\\s]+@[^@\\\\s]+\\\\.[^@\\\\s]+$')";

    private static ContactSnapshot contact(String id, String email) {
        return new ContactSnapshot(id, email, "+15550100", "Ann", null, Map.of("city", "Oslo"));
    }

    @Test
    void contactFilterTakesSuccessWhenTheConditionHoldsAndFailureWhenNot() {
        ActionResult ok = driver.run(driver.command("ContactFilter", contact("c-1", "ann@example.com"),
                Map.of("condition", VALID_EMAIL)));
        assertThat(ok.path()).isEqualTo("Success");
        ActionResult bad = driver.run(driver.command("ContactFilter", contact("c-2", "not-an-email"),
                Map.of("condition", VALID_EMAIL)));
        assertThat(bad.path()).isEqualTo("Failure");
        assertThat(bad.error().code()).isEqualTo("ConditionNotMet");
        ActionResult broken = driver.run(driver.command("ContactFilter", contact("c-3", "a@b.co"),
                Map.of("condition", "contact.properties.missing > 3")));
        assertThat(broken.error().code()).isEqualTo("ConditionError");
    }

    @Test
    void aContactFilterConditionOverTheLengthLimitFailsWithTheReason() {
        // a condition from a template ("contact.city == '{{trigger.data.city}}'") is only whole once rendered, so
        // the validator never saw it: the limit holds at evaluation too
        String prefix = "contact.city == '";
        String rendered = prefix + "O".repeat(2_000 - prefix.length()) + "'"; // 2,001 characters
        ActionResult tooLong = driver.run(driver.command("ContactFilter", contact("c-4", "a@b.co"),
                Map.of("condition", rendered)));
        assertThat(tooLong.path()).isEqualTo("Failure");
        assertThat(tooLong.error().code()).isEqualTo("ConditionError");
        assertThat(tooLong.error().message()).isEqualTo(
                "condition is 2001 characters long; a condition has at most 2000");
    }

    @Test
    void addToListMakesTheContactAMemberAndTheSnapshotIsStored() {
        ActionResult r = driver.run(driver.command("ContactAddToList", contact("c-list", "ann@example.com"),
                Map.of("list", "Incomplete Data")));
        assertThat(r.path()).isEqualTo("Success");
        given().get("/api/workspaces/" + ws + "/lists/Incomplete Data/members").then().statusCode(200)
                .body("$", org.hamcrest.Matchers.equalTo(List.of("c-list")));
        given().get("/api/workspaces/" + ws + "/contacts/c-list").then().statusCode(200)
                .body("email", org.hamcrest.Matchers.equalTo("ann@example.com"))
                .body("properties.city", org.hamcrest.Matchers.equalTo("Oslo"))
                .body("lists", org.hamcrest.Matchers.equalTo(List.of("Incomplete Data")));
        ActionResult removed = driver.run(driver.command("ContactRemoveFromList",
                contact("c-list", "ann@example.com"), Map.of("list", "Incomplete Data")));
        assertThat(removed.outputs()).containsEntry("removed", true);
    }

    @Test
    void emailArrivesInTheInboxOnceEvenWhenTheCommandIsDeliveredTwice() throws Exception {
        String to = "ann-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        ActionCommand cmd = driver.command("ContactEmailSend", contact("c-mail", to),
                Map.of("subject", "Welcome Ann", "body", "Thanks for your entry, Ann!"));
        driver.send(cmd);
        driver.send(cmd);
        ActionResult first = driver.awaitResult(cmd.commandId());
        Awaitility.await().until(() -> driver.resultsFor(cmd.commandId()).size() == 2);
        assertThat(first.path()).isEqualTo("Success");
        assertThat(first.outputs()).containsKey("message_id");
        assertThat(driver.resultsFor(cmd.commandId())).extracting(ActionResult::outputs).containsOnly(first.outputs());

        List<MimeMessage> mine = ContactPeers.receivedBy(to);
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).getSubject()).isEqualTo("Welcome Ann");
        assertThat(String.valueOf(mine.get(0).getContent())).contains("Thanks for your entry, Ann!");
        given().get("/api/workspaces/" + ws + "/contacts/c-mail/messages").then()
                .body("size()", org.hamcrest.Matchers.equalTo(1))
                .body("[0].subject", org.hamcrest.Matchers.equalTo("Welcome Ann"));
    }

    /** A server that answers 421 (busy, restarting) took nothing: the email is sent again and arrives once. */
    @Test
    void anEmailTurnedAwayForAMomentIsSentAgainAndArrivesOnce() throws Exception {
        String to = "busy-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        ActionResult r = emailTurnedAway(2, contact("c-busy", to), "Second try");
        assertThat(r.path()).isEqualTo("Success");
        assertThat(ContactPeers.receivedBy(to)).extracting(MimeMessage::getSubject).containsExactly("Second try");
    }

    /** Turned away on every try (the first and two retries): the step takes Failure with DeliveryFailed, no email. */
    @Test
    void anEmailTurnedAwayOnEveryTryTakesFailure() throws Exception {
        String to = "down-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        ActionResult r = emailTurnedAway(3, contact("c-down", to), "Never");
        assertThat(r.path()).isEqualTo("Failure");
        assertThat(r.error().code()).isEqualTo("DeliveryFailed");
        assertThat(r.error().message()).contains("421");
        assertThat(ContactPeers.receivedBy(to)).isEmpty();
    }

    /** Emails the contact while the SMTP server turns the next {@code times} connections away (421). */
    private ActionResult emailTurnedAway(int times, ContactSnapshot contact, String subject) {
        int refusedBefore = ContactPeers.gate.refused.get();
        ContactPeers.gate.refuseNext(times);
        ActionResult r = driver.run(driver.command("ContactEmailSend", contact,
                Map.of("subject", subject, "body", "x")));
        assertThat(ContactPeers.gate.refused.get() - refusedBefore).isEqualTo(times);
        return r;
    }

    /** A resend after a crash between the SMTP call and its record carries the same Message-ID: it is recognisable. */
    @Test
    void emailCarriesAMessageIdDerivedFromItsCommand() throws Exception {
        String to = "mid-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        ActionCommand cmd = driver.command("ContactEmailSend", contact("c-mid", to),
                Map.of("subject", "Hello", "body", "x"));
        ActionResult r = driver.run(cmd);
        String expectedId = UUID.nameUUIDFromBytes(cmd.commandId().getBytes(StandardCharsets.UTF_8)).toString();
        assertThat(r.outputs()).containsEntry("message_id", expectedId).containsEntry("to", to);
        List<MimeMessage> mine = ContactPeers.receivedBy(to);
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).getMessageID()).isEqualTo("<" + expectedId + "@engageflow>");
        given().get("/api/workspaces/" + ws + "/contacts/c-mid/messages").then()
                .body("id", org.hamcrest.Matchers.equalTo(List.of(expectedId)))
                .body("commandId", org.hamcrest.Matchers.equalTo(List.of(cmd.commandId())))
                .body("to", org.hamcrest.Matchers.equalTo(List.of(to)));
    }

    @Test
    void smsIsLoggedWithTheNumberItWentTo() {
        ContactPeers.smsAccepts("SM44");
        ActionResult r = driver.run(driver.command("ContactSmsSend", contact("c-sms-log", null),
                Map.of("message", "Hi", "to", "+15550177")));
        assertThat(r.outputs()).containsEntry("to", "+15550177");
        given().get("/api/workspaces/" + ws + "/contacts/c-sms-log/messages").then()
                .body("channel", org.hamcrest.Matchers.equalTo(List.of("sms")))
                .body("to", org.hamcrest.Matchers.equalTo(List.of("+15550177")))
                .body("body", org.hamcrest.Matchers.equalTo(List.of("Hi")))
                .body("providerMessageId", org.hamcrest.Matchers.equalTo(List.of("SM44")));
    }

    /**
     * Commands of different instances for one contact the service has not seen yet run side by side (other
     * partitions): every one succeeds and no snapshot is lost to another's first write.
     */
    @Test
    void concurrentFirstCommandsForANewContactKeepEverySnapshot() {
        List<ActionCommand> commands = new ArrayList<>();
        Map<String, Object> expected = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            commands.add(driver.command("ContactAddToList", new ContactSnapshot("c-race", "race@example.com", null,
                    null, null, Map.of("p" + i, i)), Map.of("list", "L" + i)));
            expected.put("p" + i, i);
        }
        commands.forEach(driver::send);
        for (ActionCommand c : commands) {
            assertThat(driver.awaitResult(c.commandId()).path()).isEqualTo("Success");
        }
        given().get("/api/workspaces/" + ws + "/contacts/c-race").then()
                .body("email", org.hamcrest.Matchers.equalTo("race@example.com"))
                .body("properties", org.hamcrest.Matchers.equalTo(expected))
                .body("lists", org.hamcrest.Matchers.equalTo(List.of("L0", "L1", "L2", "L3", "L4", "L5")));
    }

    /** PUT writes the newest data: a command's older snapshot afterwards only fills what the write left empty. */
    @Test
    void anUpsertedContactIsTheNewestData() {
        given().contentType("application/json")
                .body(Map.of("email", "ann@admin.example", "properties", Map.of("tier", "gold")))
                .put("/api/workspaces/" + ws + "/contacts/c-admin").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.equalTo("c-admin"))
                .body("email", org.hamcrest.Matchers.equalTo("ann@admin.example"))
                .body("lists", org.hamcrest.Matchers.empty());
        run(asOf(Instant.now().minus(Duration.ofHours(1)), new ContactSnapshot("c-admin", "ann@old.example",
                "+15550123", null, null, Map.of("tier", "bronze", "city", "Oslo"))));
        assertStored(new ContactSnapshot("c-admin", "ann@admin.example", "+15550123", null, null,
                Map.of("tier", "gold", "city", "Oslo")));
    }

    @Test
    void emailWithoutAnAddressFailsWithNoRecipient() {
        ActionResult r = driver.run(driver.command("ContactEmailSend", contact("c-none", null),
                Map.of("subject", "Hi", "body", "x")));
        assertThat(r.path()).isEqualTo("Failure");
        assertThat(r.error().code()).isEqualTo("NoRecipient");
    }

    @Test
    void smsGoesThroughTheProvidersMessagesApi() {
        ContactPeers.smsAccepts("SM42");
        ActionResult r = driver.run(driver.command("ContactSmsSend", contact("c-sms", "a@b.co"),
                Map.of("message", "Your code is 1234")));
        assertThat(r.path()).isEqualTo("Success");
        assertThat(r.outputs()).containsEntry("provider_message_id", "SM42").containsKey("message_id");
        ContactPeers.sms.verify(postRequestedFor(urlEqualTo("/2010-04-01/Accounts/AC123/Messages.json"))
                .withBasicAuth(new com.github.tomakehurst.wiremock.client.BasicCredentials("AC123", "secret"))
                .withRequestBody(containing("To=%2B15550100"))
                .withRequestBody(containing("Body=Your+code+is+1234"))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded")));
    }

    @Test
    void contactUpdateSetsPropertiesAddsTagsAndRemovesTags() {
        ActionResult added = driver.run(driver.command("ContactUpdate", contact("c-tags", "ann@example.com"),
                Map.of("properties", Map.of("tier", "silver"), "addTags", List.of("vip", "new", "beta"))));
        assertThat(added.path()).isEqualTo("Success");
        assertThat(added.outputs()).isEqualTo(Map.of("tags", List.of("vip", "new", "beta")));

        ActionResult removed = driver.run(driver.command("ContactUpdate", contact("c-tags", "ann@example.com"),
                Map.of("removeTags", List.of("new", "never-had"))));
        assertThat(removed.path()).isEqualTo("Success");
        assertThat(removed.outputs()).isEqualTo(Map.of("tags", List.of("vip", "beta")));
        given().get("/api/workspaces/" + ws + "/contacts/c-tags").then()
                .body("tags", org.hamcrest.Matchers.equalTo(List.of("vip", "beta")))
                .body("properties.tier", org.hamcrest.Matchers.equalTo("silver"));

        // a template renders a list as text: "beta, vip" removes both
        ActionResult asText = driver.run(driver.command("ContactUpdate", contact("c-tags", "ann@example.com"),
                Map.of("removeTags", "beta, vip")));
        assertThat(asText.outputs()).isEqualTo(Map.of("tags", List.of()));
        given().get("/api/workspaces/" + ws + "/contacts/c-tags").then()
                .body("tags", org.hamcrest.Matchers.empty());
    }

    @Test
    void messagesAreListedNewestFirst() {
        ContactPeers.smsAccepts("SM43");
        ContactSnapshot ann = contact("c-inbox", "inbox-" + UUID.randomUUID().toString().substring(0, 6)
                + "@example.com");
        // run one after the other, so each is sent after the one before it
        assertThat(driver.run(driver.command("ContactEmailSend", ann, Map.of("subject", "First", "body", "1")))
                .path()).isEqualTo("Success");
        assertThat(driver.run(driver.command("ContactSmsSend", ann, Map.of("message", "Second"))).path())
                .isEqualTo("Success");
        assertThat(driver.run(driver.command("ContactEmailSend", ann, Map.of("subject", "Third", "body", "3")))
                .path()).isEqualTo("Success");
        given().get("/api/workspaces/" + ws + "/contacts/c-inbox/messages").then().statusCode(200)
                .body("channel", org.hamcrest.Matchers.equalTo(List.of("email", "sms", "email")))
                .body("body", org.hamcrest.Matchers.equalTo(List.of("3", "Second", "1")))
                .body("[0].subject", org.hamcrest.Matchers.equalTo("Third"))
                .body("[2].subject", org.hamcrest.Matchers.equalTo("First"));
    }

    /**
     * The snapshot a command carries is as of its trigger's time: an older one only fills what is empty, a newer one
     * overwrites (the rules themselves are in ContactSnapshotMergeTest).
     */
    @Test
    void aCommandsSnapshotNeverOverwritesNewerContactData() {
        Instant now = Instant.now();
        run(asOf(now.minus(Duration.ofHours(2)), new ContactSnapshot("c-merge", "ann@current.example", null, "Ann",
                null, Map.of("city", "Oslo"))));
        run(asOf(now.minus(Duration.ofHours(3)), new ContactSnapshot("c-merge", "ann@older.example", "+15550199",
                "Annie", "Berg", Map.of("city", "Bergen", "zip", "0150"))));
        assertStored(new ContactSnapshot("c-merge", "ann@current.example", "+15550199", "Ann", "Berg",
                Map.of("city", "Oslo", "zip", "0150")));

        run(asOf(now.minus(Duration.ofHours(1)), new ContactSnapshot("c-merge", "ann@newer.example", null, null,
                null, Map.of("city", "Trondheim"))));
        assertStored(new ContactSnapshot("c-merge", "ann@newer.example", "+15550199", "Ann", "Berg",
                Map.of("city", "Trondheim", "zip", "0150")));
    }

    private void assertStored(ContactSnapshot expected) {
        given().get("/api/workspaces/" + ws + "/contacts/" + expected.id()).then()
                .body("email", org.hamcrest.Matchers.equalTo(expected.email()))
                .body("phone", org.hamcrest.Matchers.equalTo(expected.phone()))
                .body("firstName", org.hamcrest.Matchers.equalTo(expected.firstName()))
                .body("lastName", org.hamcrest.Matchers.equalTo(expected.lastName()))
                .body("properties", org.hamcrest.Matchers.equalTo(expected.properties()));
    }

    /** A ContactAddToList command for the snapshot whose trigger occurred at {@code occurredAt}. */
    private ActionCommand asOf(Instant occurredAt, ContactSnapshot snapshot) {
        ActionCommand c = driver.command("ContactAddToList", snapshot, Map.of("list", "Merged"));
        TriggerEvent t = c.trigger();
        return new ActionCommand(c.commandId(), c.instanceId(), c.stepId(), c.attempt(), c.workspaceId(), c.action(),
                c.config(), c.contact(), new TriggerEvent(t.eventId(), t.type(), t.workspaceId(), occurredAt,
                snapshot, t.data()), c.deadline(), c.steps());
    }

    private void run(ActionCommand command) {
        assertThat(driver.run(command).path()).isEqualTo("Success");
    }

    /** An unreadable command is a dead letter of the contract: parked on {@code <topic>.dlq} with its reason. */
    @Test
    void unreadableCommandsAreParkedAndUnknownActionsFail() {
        var parked = driver.kafka().consumeStrings().fromTopics("actions.contact.commands.dlq");
        String marker = UUID.randomUUID().toString();
        driver.sendRaw("k", "{ broken " + marker);
        Awaitility.await().until(() -> parked.getRecords().stream()
                .map(rec -> JsonCodec.toMap(rec.value()))
                .anyMatch(letter -> String.valueOf(letter.get("original")).contains(marker)
                        && String.valueOf(letter.get("error")).startsWith("unreadable: malformed JSON")
                        && "actions.contact.commands".equals(letter.get("topic"))
                        && "contact-actions-service".equals(letter.get("service"))));
        parked.close();
        ActionResult unknown = driver.run(driver.command("LoyaltyAwardPoints", contact("c-x", null),
                Map.of("points", 5)));
        assertThat(unknown.path()).isEqualTo("Failure");
        assertThat(unknown.error().code()).isEqualTo("UnknownAction");
        // the consumer is not wedged: the next command runs
        assertThat(driver.run(driver.command("ContactAddToList", contact("c-y", null), Map.of("list", "L"))).path())
                .isEqualTo("Success");
    }
}
