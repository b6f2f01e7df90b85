package io.engageflow.integration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.integration.WireMockPeer.InjectPeer;
import io.engageflow.integration.actions.HttpRequestAction;
import io.engageflow.integration.client.MailchimpClient;
import io.engageflow.integration.domain.SecretBox;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.testsupport.CommandDriver;
import io.engageflow.testsupport.RealInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_integration_test"))
@QuarkusTestResource(WireMockPeer.class)
class IntegrationActionsTest {
    @InjectPeer
    WireMockPeer.Server provider;
    private final String ws = "ws-" + UUID.randomUUID().toString().substring(0, 8);
    private final CommandDriver driver = new CommandDriver("actions.integration.commands", ws);
    private static final ContactSnapshot ANN = new ContactSnapshot("c-1", "Ann@Example.com", "+15550100", "Ann", null,
            Map.of());
    /** Long enough for a loaded two-core machine; what is awaited either happens or the test is wrong. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;
    @Inject
    MeterRegistry metrics;
    @Inject
    SecretBox box;

    @AfterEach
    void close() {
        driver.close();
    }

    private void connect(String name, String key) {
        given().contentType("application/json").body(Map.of("apiKey", key, "baseUrl", provider.base()))
                .put("/api/workspaces/" + ws + "/connected-apps/" + name).then().statusCode(200)
                .body("apiKeySet", Matchers.equalTo(true)).body("$", Matchers.not(Matchers.hasKey("apiKey")));
    }

    private ActionResult run(String action, Map<String, Object> config) {
        return driver.run(driver.command(action, ANN, config));
    }

    @Test
    void withoutAConnectedAppTheActionFailsWithNotConnected() {
        ActionResult r = run("SalesforceCreateObject", Map.of("objectType", "Contact", "fields", Map.of("x", 1)));
        assertThat(r.path()).isEqualTo("Failure");
        assertThat(r.error().code()).isEqualTo("NotConnected");
    }

    @Test
    void salesforceCreateUpdateAndGetSpeakTheRestApi() {
        connect("salesforce", "00Dtoken");
        provider.stubFor(post(urlEqualTo("/services/data/v60.0/sobjects/Contact"))
                .withHeader("Authorization", equalTo("Bearer 00Dtoken"))
                .willReturn(json(201, "{\"id\":\"003XYZ\",\"success\":true,\"errors\":[]}")));
        ActionResult created = run("SalesforceCreateObject", Map.of("objectType", "Contact",
                "fields", Map.of("LastName", "Smith", "Email", "ann@example.com")));
        assertThat(created.outputs()).containsEntry("object_id", "003XYZ");
        provider.verify(postRequestedFor(urlEqualTo("/services/data/v60.0/sobjects/Contact"))
                .withRequestBody(equalToJson("{\"LastName\":\"Smith\",\"Email\":\"ann@example.com\"}")));

        provider.stubFor(patch(urlEqualTo("/services/data/v60.0/sobjects/Contact/003NOPE"))
                .willReturn(aResponse().withStatus(404).withBody("[{\"errorCode\":\"NOT_FOUND\"}]")));
        assertThat(run("SalesforceUpdateObject", Map.of("objectType", "Contact", "objectId", "003NOPE",
                "fields", Map.of("LastName", "X"))).path()).isEqualTo("NotFound");

        provider.stubFor(get(urlPathEqualTo("/services/data/v60.0/query"))
                .willReturn(json(200,
                        "{\"totalSize\":1,\"done\":true,\"records\":[{\"Id\":\"003XYZ\",\"LastName\":\"Smith\"}]}")));
        ActionResult got = run("SalesforceGetObject", Map.of("objectType", "Contact", "where", "Email = 'a@b.co'"));
        assertThat(got.path()).isEqualTo("Success");
        assertThat(got.outputs()).containsEntry("object", Map.of("Id", "003XYZ", "LastName", "Smith"));
    }

    /**
     * Each Salesforce action's answer: an update outputs the id it was given, a read by id the object, an id the org
     * does not know takes NotFound, and a request the org refuses takes ProviderError with its status.
     */
    @Test
    void salesforceAnswersByIdAndOnARefusal() {
        connect("salesforce", "00Dtoken");
        String contact = "/services/data/v60.0/sobjects/Contact";
        provider.stubFor(patch(urlEqualTo(contact + "/003XYZ")).willReturn(aResponse().withStatus(204)));
        ActionResult updated = run("SalesforceUpdateObject", Map.of("objectType", "Contact", "objectId", "003XYZ",
                "fields", Map.of("LastName", "Jones")));
        assertThat(updated.path()).isEqualTo("Success");
        assertThat(updated.outputs()).isEqualTo(Map.of("object_id", "003XYZ"));
        provider.verify(com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor(urlEqualTo(contact
                + "/003XYZ")).withRequestBody(equalToJson("{\"LastName\":\"Jones\"}")));

        provider.stubFor(get(urlEqualTo(contact + "/003XYZ"))
                .willReturn(json(200, "{\"Id\":\"003XYZ\",\"LastName\":\"Jones\"}")));
        ActionResult got = run("SalesforceGetObject", Map.of("objectType", "Contact", "objectId", "003XYZ"));
        assertThat(got.path()).isEqualTo("Success");
        assertThat(got.outputs()).isEqualTo(Map.of("object", Map.of("Id", "003XYZ", "LastName", "Jones")));
        provider.stubFor(get(urlEqualTo(contact + "/003NOPE")).willReturn(aResponse().withStatus(404)));
        assertThat(run("SalesforceGetObject", Map.of("objectType", "Contact", "objectId", "003NOPE")).path())
                .isEqualTo("NotFound");

        provider.stubFor(post(urlEqualTo(contact)).willReturn(aResponse().withStatus(400)
                .withBody("[{\"errorCode\":\"REQUIRED_FIELD_MISSING\"}]")));
        ActionResult refused = run("SalesforceCreateObject", Map.of("objectType", "Contact",
                "fields", Map.of("Email", "ann@example.com")));
        assertThat(refused.path()).isEqualTo("Failure");
        assertThat(refused.error().code()).isEqualTo("ProviderError");
        assertThat(refused.outputs()).containsEntry("status", 400);

        // fields a template rendered as text: refused, not sent as null (Salesforce would answer 400)
        assertThat(invalidConfig(run("SalesforceUpdateObject", Map.of("objectType", "Contact", "objectId", "003XYZ",
                "fields", "LastName=Jones")))).isEqualTo("fields must be an object of field: value, got LastName=Jones");
        assertThat(invalidConfig(run("SalesforceCreateObject", Map.of("objectType", "Contact"))))
                .isEqualTo("fields must be an object of field: value, got null");
        provider.verify(1, com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor(anyUrl()));
        provider.verify(1, postRequestedFor(anyUrl()));
    }

    @Test
    void mailchimpAddressesMembersByTheHashOfTheLowerCasedEmail() {
        connect("mailchimp", "abc-us21");
        String hash = MailchimpClient.subscriberHash("ann@example.com");
        provider.stubFor(put(urlEqualTo("/lists/L1/members/" + hash))
                .willReturn(json(200, "{\"id\":\"" + hash + "\"}")));
        provider.stubFor(post(urlEqualTo("/lists/L1/members/" + hash + "/tags")).willReturn(aResponse()
                .withStatus(204)));
        ActionResult upsert = run("MailchimpUpsert", Map.of("listId", "L1", "email", "Ann@Example.com",
                "mergeFields", Map.of("FNAME", "Ann")));
        assertThat(upsert.path()).isEqualTo("Success");
        provider.verify(putRequestedFor(urlEqualTo("/lists/L1/members/" + hash))
                .withHeader("Authorization", equalTo("Basic " + java.util.Base64.getEncoder()
                        .encodeToString("engageflow:abc-us21".getBytes())))
                .withRequestBody(equalToJson("{\"email_address\":\"Ann@Example.com\",\"status_if_new\":\"subscribed\","
                        + "\"merge_fields\":{\"FNAME\":\"Ann\"}}")));
        assertThat(run("MailchimpAddTags", Map.of("listId", "L1", "tags", List.of("vip"))).path())
                .isEqualTo("Success");
        provider.verify(postRequestedFor(urlEqualTo("/lists/L1/members/" + hash + "/tags"))
                .withRequestBody(equalToJson("{\"tags\":[{\"name\":\"vip\",\"status\":\"active\"}]}")));
    }

    @Test
    void mailchimpUnsubscribeArchiveAndDeleteUseTheirEndpoints() {
        connect("mailchimp", "abc-us21");
        String member = "/lists/L2/members/" + MailchimpClient.subscriberHash("bo@example.com");
        provider.stubFor(patch(urlEqualTo(member)).willReturn(aResponse().withStatus(200).withBody("{}")));
        provider.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(urlEqualTo(member))
                .willReturn(aResponse().withStatus(204)));
        provider.stubFor(post(urlEqualTo(member + "/actions/delete-permanent")).willReturn(aResponse().withStatus(204)));
        provider.stubFor(post(urlEqualTo(member + "/tags")).willReturn(aResponse().withStatus(204)));
        Map<String, Object> config = Map.of("listId", "L2", "email", "bo@example.com");
        assertThat(run("MailchimpUnsubscribe", config).path()).isEqualTo("Success");
        assertThat(run("MailchimpArchive", config).path()).isEqualTo("Success");
        assertThat(run("MailchimpDelete", config).path()).isEqualTo("Success");
        assertThat(run("MailchimpRemoveTags", Map.of("listId", "L2", "email", "bo@example.com", "tags", "old, stale"))
                .path()).isEqualTo("Success");
        provider.verify(com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor(urlEqualTo(member))
                .withRequestBody(equalToJson("{\"status\":\"unsubscribed\"}")));
        provider.verify(com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(urlEqualTo(member)));
        provider.verify(postRequestedFor(urlEqualTo(member + "/actions/delete-permanent")));
        provider.verify(postRequestedFor(urlEqualTo(member + "/tags")).withRequestBody(equalToJson(
                "{\"tags\":[{\"name\":\"old\",\"status\":\"inactive\"},{\"name\":\"stale\",\"status\":\"inactive\"}]}")));
    }

    @Test
    void thuziCheckInAndLocalCardCampaignGift() {
        connect("thuzi", "th-key");
        connect("localcard", "lc-key");
        provider.stubFor(post(urlEqualTo("/v1/events/ev-1/check-ins")).willReturn(aResponse().withStatus(201)
                .withBody("{\"id\":\"ci-1\"}")));
        provider.stubFor(post(urlEqualTo("/v1/campaigns/camp-1/gifts"))
                .willReturn(json(201, "{\"id\":\"g-1\",\"link\":\"https://lc/g-1\"}")));
        assertThat(run("ContactThuziCheckIn", Map.of("eventId", "ev-1")).path()).isEqualTo("Success");
        provider.verify(postRequestedFor(urlEqualTo("/v1/events/ev-1/check-ins"))
                .withHeader("Authorization", equalTo("Bearer th-key")).withRequestBody(containing("\"contactId\":\"c-1\"")));
        ActionResult gift = run("LocalCardGenerateCampaignGift", Map.of("campaignId", "camp-1", "giftValue", "10"));
        assertThat(gift.outputs()).containsEntry("gift_id", "g-1").containsEntry("gift_link", "https://lc/g-1");
        provider.verify(postRequestedFor(urlEqualTo("/v1/campaigns/camp-1/gifts"))
                .withRequestBody(containing("\"deliveryMethod\":\"Link\"")));
    }

    @Test
    void anUnansweredProviderFailsAfterTheRetriesWithProviderError() {
        connect("braze", "k");
        provider.stubFor(post(urlEqualTo("/users/track")).willReturn(aResponse().withStatus(500)));
        ActionResult r = run("BrazeTrackUser", Map.of("eventName", "x"));
        assertThat(r.path()).isEqualTo("Failure");
        assertThat(r.error().code()).isEqualTo("ProviderError");
        assertThat(r.outputs()).containsEntry("status", 500);
        provider.verify(4, postRequestedFor(urlEqualTo("/users/track")));
    }

    @Test
    void brazeIsRetriedOn503AndHonoursRetryAfterOn429() {
        connect("braze", "braze-key");
        provider.stubFor(post(urlEqualTo("/users/track")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("limited"));
        provider.stubFor(post(urlEqualTo("/users/track")).inScenario("flaky").whenScenarioStateIs("limited")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        provider.stubFor(post(urlEqualTo("/users/track")).inScenario("flaky").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(201).withBody("{\"message\":\"success\"}")));
        long start = System.currentTimeMillis();
        ActionResult r = run("BrazeTrackUser", Map.of("eventName", "entered", "properties", Map.of("score", 5)));
        assertThat(r.path()).isEqualTo("Success");
        assertThat(System.currentTimeMillis() - start).as("waited for Retry-After").isGreaterThanOrEqualTo(1000);
        provider.verify(3, postRequestedFor(urlEqualTo("/users/track"))
                .withHeader("Authorization", equalTo("Bearer braze-key"))
                .withRequestBody(containing("\"external_id\":\"c-1\""))
                .withRequestBody(containing("\"name\":\"entered\"")));
    }

    @Test
    void localCardSendsTheCardAndReturnsItsLink() {
        connect("localcard", "lc-key");
        provider.stubFor(post(urlEqualTo("/v1/cards"))
                .willReturn(json(201, "{\"id\":\"card-9\",\"link\":\"https://lc/card-9\"}")));
        ActionResult r = run("LocalCardSendCardFromTemplate", Map.of("cardTemplateId", "T1", "cardValue", 25,
                "deliveryMethod", "Email"));
        assertThat(r.outputs()).containsEntry("card_id", "card-9").containsEntry("card_link", "https://lc/card-9");
        provider.verify(postRequestedFor(urlEqualTo("/v1/cards")).withRequestBody(containing("\"templateId\":\"T1\""))
                .withRequestBody(containing("\"value\":25")));
    }

    @Test
    void httpRequestCallsAllowedHostsAndReportsStatusAndBody() {
        provider.stubFor(post(urlEqualTo("/hook")).willReturn(json(200, "{\"received\":true}")));
        ActionResult ok = run("HttpRequest", Map.of("url", provider.base() + "/hook", "headers", Map.of("X-Token", "t"),
                "body", Map.of("email", "ann@example.com")));
        assertThat(ok.path()).isEqualTo("Success");
        assertThat(ok.outputs()).containsEntry("status", 200).containsEntry("body", Map.of("received", true));
        provider.verify(postRequestedFor(urlEqualTo("/hook")).withHeader("X-Token", equalTo("t"))
                .withRequestBody(equalToJson("{\"email\":\"ann@example.com\"}")));

        provider.stubFor(get(urlEqualTo("/missing")).willReturn(aResponse().withStatus(404).withBody("nope")));
        ActionResult missing = run("HttpRequest", Map.of("url", provider.base() + "/missing", "method", "GET"));
        assertThat(missing.path()).isEqualTo("Failure");
        assertThat(missing.outputs()).containsEntry("status", 404).containsEntry("body", "nope");

        provider.stubFor(get(urlEqualTo("/huge")).willReturn(aResponse().withStatus(200).withBody("x".repeat(20_000))));
        ActionResult huge = run("HttpRequest", Map.of("url", provider.base() + "/huge", "method", "GET"));
        assertThat(huge.path()).isEqualTo("Failure");
        assertThat(huge.error().message()).contains("larger than 10000 bytes");
    }

    /**
     * The method is GET, POST, PUT, PATCH, DELETE or HEAD, in any case; another, or a blank one, is refused with that
     * list before any request.
     */
    @Test
    void anHttpMethodOutsideTheSixIsRefusedBeforeAnyRequest() {
        provider.stubFor(put(urlEqualTo("/put")).willReturn(aResponse().withStatus(200)));
        for (String method : List.of("FETCH", " ")) {
            ActionResult r = run("HttpRequest", Map.of("url", provider.base() + "/put", "method", method));
            assertThat(invalidConfig(r)).as("method '%s'", method)
                    .isEqualTo("method must be one of [GET, POST, PUT, PATCH, DELETE, HEAD]");
        }
        ActionResult put = run("HttpRequest", Map.of("url", provider.base() + "/put", "method", "put"));
        assertThat(put.path()).isEqualTo("Success");
        provider.verify(1, anyRequestedFor(anyUrl()));
        provider.verify(putRequestedFor(urlEqualTo("/put")));
    }

    /**
     * A server that takes the connection and never answers: each attempt ends after timeoutMs, so the step fails long
     * before a single attempt with the default timeout (10 s) could have ended. Timed from the first connection the
     * server took, so the consumer's start-up does not count.
     */
    @Test
    void httpRequestToAServerThatNeverAnswersFailsAfterTimeoutMs() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            ActionResult r = run("HttpRequest", Map.of("url", "http://127.0.0.1:" + silent.port() + "/hook",
                    "timeoutMs", 300, "body", Map.of("email", "ann@example.com")));
            long tookMillis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
                    - silent.firstConnectionNanos());
            assertThat(r.path()).isEqualTo("Failure");
            assertThat(r.error().code()).isEqualTo("ProviderError");
            assertThat(r.error().message()).startsWith("timed out");
            assertThat(r.outputs()).isEqualTo(Map.of("status", 0));
            assertThat(silent.connections()).as("the request reached the server").isPositive();
            assertThat(tookMillis).as("bounded by timeoutMs, not by the default timeout").isLessThan(10_000);
        }
    }

    /** Accepts connections on loopback, reads nothing and never replies. */
    private static final class SilentServer implements AutoCloseable {
        private final java.net.ServerSocket socket = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress());
        private final List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile long firstConnectionNanos;

        SilentServer() throws java.io.IOException {
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        java.net.Socket s = socket.accept();
                        if (accepted.isEmpty()) {
                            firstConnectionNanos = System.nanoTime();
                        }
                        accepted.add(s);
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return accepted.size();
        }

        long firstConnectionNanos() {
            assertThat(accepted).as("a connection was made").isNotEmpty();
            return firstConnectionNanos;
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
            for (java.net.Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void httpRequestRefusesInternalAddressesAndOtherSchemes() {
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/", "http://[::1]/",
                "http://192.168.1.1:8080/admin", "file:///etc/passwd", "http://metadata.google.internal/")) {
            ActionResult r = run("HttpRequest", Map.of("url", url, "method", "GET"));
            assertThat(r.path()).as(url).isEqualTo("Failure");
            assertThat(r.error().code()).as(url).isEqualTo("UrlNotAllowed");
        }
    }

    @Test
    void theKeyIsNeverReturned() {
        connect("thuzi", "super-secret");
        String body = given().get("/api/workspaces/" + ws + "/connected-apps/thuzi").then().statusCode(200)
                .extract().asString();
        assertThat(body).doesNotContain("super-secret");
        given().contentType("application/json").body(Map.of("apiKey", "k")).put("/api/workspaces/" + ws
                + "/connected-apps/myspace").then().statusCode(400);
    }

    /**
     * The same command delivered twice (a consumer rebalance, the orchestrator sending it again): the webhook gets one
     * POST, carrying the commandId as Idempotency-Key, and the second delivery is answered with the recorded result
     * (completedAt included, so it is the first answer, not a second run).
     */
    @Test
    void aRedeliveredCommandCallsTheWebhookOnceAndIsAnsweredWithTheRecordedResult() {
        provider.stubFor(post(urlEqualTo("/once")).willReturn(json(201, "{\"id\":\"w-1\"}")));
        ActionCommand command = driver.command("HttpRequest", ANN, Map.of("url", provider.base() + "/once",
                "body", Map.of("email", "ann@example.com")));
        ActionResult first = driver.run(command);
        assertThat(first.path()).isEqualTo("Success");
        assertThat(first.outputs()).isEqualTo(Map.of("status", 201, "body", Map.of("id", "w-1")));

        driver.send(command);
        assertThat(awaitResults(command.commandId(), 2)).containsExactly(first, first);
        provider.verify(1, postRequestedFor(urlEqualTo("/once")));
        provider.verify(postRequestedFor(urlEqualTo("/once")).withHeader("Idempotency-Key",
                equalTo(command.commandId())));
    }

    /**
     * A handler that throws is tried max-attempts times and parked on the commands topic's .dlq with the original
     * record and the error; the step is answered Failure/DeadLettered (so its instance ends failed), that answer is
     * recorded (a redelivery gets it without a call), and the next command on the same partition runs.
     */
    @Test
    void aCommandWhoseHandlerThrowsIsParkedOnTheDeadLetterTopicAndAnsweredDeadLettered() {
        AtomicInteger calls = new AtomicInteger();
        QuarkusMock.installMockForType(new HttpRequestAction(null, null, null, 0, Duration.ZERO) {
            @Override
            public Uni<ActionOutcome> call(ActionCommand command, HttpRequestAction.Request config) {
                calls.incrementAndGet();
                return Uni.createFrom().failure(new IllegalStateException("the webhook client is broken"));
            }
        }, HttpRequestAction.class);
        var letters = driver.kafka().consumeStrings().fromTopics("actions.integration.commands.dlq");
        ActionCommand poison = driver.command("HttpRequest", ANN, Map.of("url", provider.base() + "/never"));

        ActionResult answer = driver.run(poison);
        assertThat(answer.path()).isEqualTo("Failure");
        assertThat(answer.error().code()).isEqualTo("DeadLettered");
        assertThat(answer.error().message()).contains("actions.integration.commands.dlq")
                .contains("the webhook client is broken");

        Awaitility.await().atMost(WAIT).until(() -> letters.getRecords().stream()
                .anyMatch(r -> poison.instanceId().equals(r.key())));
        Map<String, Object> letter = letters.getRecords().stream().filter(r -> poison.instanceId().equals(r.key()))
                .map(r -> JsonCodec.toMap(r.value())).findFirst().orElseThrow();
        assertThat(letter).containsEntry("topic", "actions.integration.commands")
                .containsEntry("key", poison.instanceId())
                .containsEntry("original", JsonCodec.encode(poison))
                .containsEntry("service", "integration-actions-service")
                .containsEntry("attempts", 3)
                .containsKeys("partition", "offset", "at");
        assertThat((String) letter.get("error")).contains("the webhook client is broken");
        assertThat(calls.get()).as("tried as often as the letter says, then parked").isEqualTo(3);
        letters.close();

        // the next command of the same instance (same key, so the same partition) runs
        ActionCommand next = new ActionCommand(poison.instanceId() + ":s2:1", poison.instanceId(), "s2", 1, ws,
                "SalesforceCreateObject", Map.of("objectType", "Contact", "fields", Map.of("LastName", "X")), ANN,
                poison.trigger(), poison.deadline(), Map.of());
        assertThat(driver.run(next).error().code()).isEqualTo("NotConnected");

        driver.send(poison);
        assertThat(awaitResults(poison.commandId(), 2)).containsExactly(answer, answer);
        assertThat(calls.get()).isEqualTo(3);
        provider.verify(0, anyRequestedFor(anyUrl()));
    }

    /**
     * A process that crashed between claiming a command and recording its result leaves a claim without a result.
     * Once the claim is older than the lease (15 s), the next delivery claims it again and runs it: the call is made
     * (at least once, as the README says) and its result recorded.
     */
    @Test
    void aCommandClaimedByAProcessThatCrashedIsClaimedAgainAfterTheLeaseAndRun() {
        provider.stubFor(post(urlEqualTo("/late")).willReturn(aResponse().withStatus(200).withBody("done")));
        ActionCommand command = driver.command("HttpRequest", ANN, Map.of("url", provider.base() + "/late"));
        claim(command, Duration.ofMinutes(2));

        ActionResult r = driver.run(command);
        assertThat(r.path()).isEqualTo("Success");
        assertThat(r.outputs()).isEqualTo(Map.of("status", 200, "body", "done"));
        provider.verify(1, postRequestedFor(urlEqualTo("/late")));
        assertThat(recorded(command.commandId())).isEqualTo(r);
    }

    /**
     * A command whose claim is fresh and has no result is in flight elsewhere (a twin on another replica, mid-call):
     * the pipeline waits for it rather than call too, and answers with the result the twin records.
     */
    @Test
    void aCommandInFlightOnAnotherReplicaIsAnsweredWithTheResultThatReplicaRecords() {
        ActionCommand command = driver.command("HttpRequest", ANN, Map.of("url", provider.base() + "/twin"));
        claim(command, Duration.ZERO);
        double waitsBefore = count("engageflow.commands.claim.waits");

        driver.send(command);
        Awaitility.await().atMost(WAIT).until(() -> count("engageflow.commands.claim.waits") > waitsBefore);
        ActionResult twins = new ActionResult(command.commandId(), command.instanceId(), "s1", "HttpRequest",
                "Success", Map.of("status", 202, "body", "recorded by the twin"), null,
                Instant.parse("2026-01-01T00:00:00Z"));
        pool.preparedQuery("UPDATE processed_command SET result_json = $2, processed_at = now() WHERE command_id = $1")
                .execute(Tuple.of(command.commandId(), JsonCodec.encode(twins))).await().atMost(WAIT);

        assertThat(driver.awaitResult(command.commandId())).isEqualTo(twins);
        provider.verify(0, anyRequestedFor(anyUrl()));
    }

    /**
     * A result larger than a record may be (engageflow.delivery.max-record-bytes, 20000 in the tests) could never be
     * published: the step is answered Failure/PayloadTooLarge instead, and that is what is recorded (a redelivery
     * gets the same answer, without a second call).
     */
    @Test
    void aResultTooLargeForTheBrokerIsAnsweredPayloadTooLargeAndRecordedSo() {
        connect("salesforce", "00Dtoken");
        provider.stubFor(get(urlEqualTo("/services/data/v60.0/sobjects/Contact/003BIG"))
                .willReturn(json(200, "{\"Id\":\"003BIG\",\"Description\":\"" + "x".repeat(30_000) + "\"}")));
        ActionCommand command = driver.command("SalesforceGetObject", ANN, Map.of("objectType", "Contact",
                "objectId", "003BIG"));

        ActionResult r = driver.run(command);
        assertThat(r.path()).isEqualTo("Failure");
        assertThat(r.error().code()).isEqualTo("PayloadTooLarge");
        assertThat(r.error().message()).contains("SalesforceGetObject").contains("more than the 20000");
        assertThat(r.outputs()).isEmpty();

        driver.send(command);
        assertThat(awaitResults(command.commandId(), 2)).containsExactly(r, r);
        provider.verify(1, getRequestedFor(urlEqualTo("/services/data/v60.0/sobjects/Contact/003BIG")));
    }

    /**
     * HttpRequest's receiver may not honour the Idempotency-Key, so a failed attempt is made again only where the
     * receiver cannot have acted: a 503 with Retry-After is (same key), a 500 or a timeout is not.
     */
    @Test
    void aWebhookIsCalledAgainOnlyWhereItCannotHaveActed() throws Exception {
        provider.stubFor(post(urlEqualTo("/fails")).willReturn(aResponse().withStatus(500).withBody("oops")));
        ActionResult failed = run("HttpRequest", Map.of("url", provider.base() + "/fails"));
        assertThat(failed.error().code()).isEqualTo("ProviderError");
        assertThat(failed.outputs()).isEqualTo(Map.of("status", 500, "body", "oops"));
        provider.verify(1, postRequestedFor(urlEqualTo("/fails")));

        provider.stubFor(post(urlEqualTo("/busy")).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")).willSetStateTo("up"));
        provider.stubFor(post(urlEqualTo("/busy")).inScenario("busy").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        ActionCommand busy = driver.command("HttpRequest", ANN, Map.of("url", provider.base() + "/busy"));
        assertThat(driver.run(busy).outputs()).isEqualTo(Map.of("status", 200, "body", "ok"));
        provider.verify(2, postRequestedFor(urlEqualTo("/busy"))
                .withHeader("Idempotency-Key", equalTo(busy.commandId())));

        try (SilentServer silent = new SilentServer()) {
            ActionResult timedOut = run("HttpRequest", Map.of("url", "http://127.0.0.1:" + silent.port() + "/hook",
                    "timeoutMs", 300));
            assertThat(timedOut.error().message()).startsWith("timed out");
            assertThat(silent.connections()).as("one request, not sent again after its timeout").isEqualTo(1);
        }
    }

    /**
     * 127.0.0.1 is allowed in the tests (engageflow.http-request.allowed-hosts, every port), yet the same address
     * written as an IPv4-compatible or IPv4-mapped IPv6 address, as one decimal or hex number or inside a NAT64
     * address is refused with the reason, before any connection: WireMock, on that port, gets nothing.
     */
    @Test
    void httpRequestToLoopbackInAnotherFormTakesFailureWithoutACall() {
        provider.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        int port = provider.port();
        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put("http://[::127.0.0.1]:" + port + "/hook", "is an IPv4-compatible address");
        reasons.put("http://2130706433:" + port + "/hook",
                "is the IPv4 address 127.0.0.1 (a loopback address (127.0.0.0/8)) in another notation");
        reasons.put("http://[64:ff9b::7f00:1]:" + port + "/hook",
                "is a NAT64 address of 127.0.0.1, a loopback address");
        reasons.put("http://[::ffff:127.0.0.1]:" + port + "/hook", "written as IPv6");
        reasons.put("http://0x7f000001:" + port + "/hook", "in another notation");
        reasons.forEach((url, reason) -> {
            ActionResult r = run("HttpRequest", Map.of("url", url, "body", Map.of("email", "ann@example.com")));
            assertThat(r.path()).as(url).isEqualTo("Failure");
            assertThat(r.error().code()).as(url).isEqualTo("UrlNotAllowed");
            assertThat(r.error().message()).as(url).contains(reason);
        });
        provider.verify(0, anyRequestedFor(anyUrl()));
    }

    /**
     * The finding: a Salesforce app pointed at the cloud metadata address was saved (200) and its calls went
     * there with the workspace's key. Now the PUT is answered 400 with the reason and nothing is saved.
     */
    @Test
    void aConnectedAppPointedAtTheMetadataAddressIsRefused() {
        String apps = "/api/workspaces/" + ws + "/connected-apps/";
        given().contentType("application/json").body(Map.of("apiKey", "00Dtoken",
                        "baseUrl", "http://169.254.169.254/latest"))
                .put(apps + "salesforce").then().statusCode(400)
                .body("error", Matchers.equalTo("bad_request"))
                .body("message", Matchers.containsString("a cloud metadata address, which is never allowed"))
                .body("details[0].path", Matchers.equalTo("baseUrl"));
        given().get(apps + "salesforce").then().statusCode(404);

        for (String baseUrl : List.of("http://10.0.0.5/", "http://[::127.0.0.1]:" + provider.port(),
                "http://metadata.google.internal/", "https://example.com:8443/", "ftp://example.com/",
                "http://127.0.0.1:" + provider.port() + "/?q=1")) {
            given().contentType("application/json").body(Map.of("apiKey", "k", "baseUrl", baseUrl))
                    .put(apps + "mailchimp").then().statusCode(400)
                    .body("message", Matchers.startsWith("baseUrl is refused: "));
        }
        given().get(apps + "mailchimp").then().statusCode(404);
    }

    /**
     * An app saved before the guard (or written to the database by other means) with a forbidden baseUrl: the call
     * is checked too, and the step takes Failure with UrlNotAllowed without a request.
     */
    @Test
    void aStoredBaseUrlIsCheckedAgainAtEachCall() {
        pool.preparedQuery("INSERT INTO connected_app (key, workspace_id, provider, api_key_encrypted, base_url, "
                        + "settings_json, updated_at) VALUES ($1, $2, 'salesforce', $3, $4, '{}', $5)")
                .execute(Tuple.of(ws + "/salesforce", ws, box.seal("{\"apiKey\":\"00Dtoken\"}", ws, "salesforce"),
                        "http://[::127.0.0.1]:" + provider.port(), OffsetDateTime.now()))
                .await().atMost(WAIT);
        ActionResult r = run("SalesforceCreateObject", Map.of("objectType", "Contact", "fields",
                Map.of("LastName", "Smith")));
        assertThat(r.path()).isEqualTo("Failure");
        assertThat(r.error().code()).isEqualTo("UrlNotAllowed");
        assertThat(r.error().message()).isEqualTo("the salesforce app's URL is refused: host [::127.0.0.1] is "
                + "an IPv4-compatible address (::a.b.c.d, deprecated); only engageflow.http-request.allowed-hosts "
                + "can allow it");
        provider.verify(0, anyRequestedFor(anyUrl()));
    }

    /**
     * A where given as field → value: a value with quotes and a backslash stays one string literal, escaped by
     * Salesforce's rules, so it cannot add a condition; an object type that is not an API name is refused.
     */
    @Test
    void aSoqlValueWithAQuoteStaysAValue() {
        connect("salesforce", "00Dtoken");
        provider.stubFor(get(urlPathEqualTo("/services/data/v60.0/query"))
                .willReturn(json(200, "{\"totalSize\":0,\"done\":true,\"records\":[]}")));
        Map<String, Object> where = new LinkedHashMap<>();
        where.put("Email", "x' OR Name != '");
        where.put("Note__c", "back\\slash \"quoted\"\nline");
        where.put("NumberOfEmployees", 12);
        ActionResult r = run("SalesforceGetObject", Map.of("objectType", "Contact", "where", where));
        assertThat(r.path()).isEqualTo("NotFound");
        provider.verify(getRequestedFor(urlPathEqualTo("/services/data/v60.0/query")).withQueryParam("q", equalTo(
                "SELECT FIELDS(ALL) FROM Contact WHERE Email = 'x\\' OR Name != \\'' AND "
                        + "Note__c = 'back\\\\slash \\\"quoted\\\"\\nline' AND NumberOfEmployees = 12 LIMIT 1")));

        ActionResult badId = run("SalesforceGetObject", Map.of("objectType", "Contact",
                "where", Map.of("Id", "003' OR Id != '")));
        assertThat(invalidConfig(badId)).contains("Id must be a Salesforce id");
        ActionResult badType = run("SalesforceGetObject", Map.of("objectType", "Contact WHERE Id != null",
                "where", "Email = 'a@b.co'"));
        assertThat(invalidConfig(badType)).contains("objectType must be a Salesforce object API name");
        provider.verify(1, anyRequestedFor(anyUrl()));
    }

    /** Ids from a step's config go into a URL path as one encoded segment each: no extra segment, query or "..". */
    @Test
    void idsInAPathAreOneEncodedSegment() {
        connect("mailchimp", "abc-us21");
        connect("thuzi", "th-key");
        String hash = MailchimpClient.subscriberHash("ann@example.com");
        provider.stubFor(put(urlEqualTo("/lists/a%2Fb%3Fc/members/" + hash))
                .willReturn(json(200, "{\"id\":\"" + hash + "\"}")));
        provider.stubFor(post(urlEqualTo("/v1/events/ev%201%23x/check-ins")).willReturn(aResponse().withStatus(201)));

        assertThat(run("MailchimpUpsert", Map.of("listId", "a/b?c", "email", "ann@example.com")).path())
                .isEqualTo("Success");
        provider.verify(putRequestedFor(urlEqualTo("/lists/a%2Fb%3Fc/members/" + hash)));
        assertThat(run("ContactThuziCheckIn", Map.of("eventId", "ev 1#x")).path()).isEqualTo("Success");
        provider.verify(postRequestedFor(urlEqualTo("/v1/events/ev%201%23x/check-ins")));

        ActionResult parent = run("ContactThuziCheckIn", Map.of("eventId", ".."));
        assertThat(invalidConfig(parent)).isEqualTo("eventId may not be '..'");
        provider.verify(2, anyRequestedFor(anyUrl()));
    }

    /**
     * A provider answer that quotes the contact's email and phone, retried: the retry is logged (by provider,
     * workspace and status), and no log line at INFO or above carries the email, the phone or the API key.
     */
    @Test
    void logsCarryIdsNotContactDetailsOrKeys() {
        connect("braze", "braze-secret-key");
        provider.stubFor(post(urlEqualTo("/users/track")).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("{\"message\":\"busy with ann@example.com, "
                        + "+15550100\"}")).willSetStateTo("ok"));
        provider.stubFor(post(urlEqualTo("/users/track")).inScenario("busy").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(201).withBody("{\"message\":\"success\"}")));
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                    lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            assertThat(run("BrazeTrackUser", Map.of("eventName", "entered")).path()).isEqualTo("Success");
        } finally {
            root.removeHandler(capture);
        }
        assertThat(lines).noneMatch(l -> l.toLowerCase(java.util.Locale.ROOT).contains("ann@example.com")
                || l.contains("15550100") || l.contains("braze-secret-key"));
        assertThat(lines).as("the retry was logged").anyMatch(l -> l.contains("braze call for workspace " + ws
                + ": attempt 1 failed (HTTP 503)"));
    }

    /** A provider's answer with a JSON body. */
    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** The message of a step refused as InvalidConfig: a Failure with that error code. */
    private static String invalidConfig(ActionResult r) {
        assertThat(r.path()).isEqualTo("Failure");
        assertThat(r.error().code()).isEqualTo("InvalidConfig");
        return r.error().message();
    }

    private List<ActionResult> awaitResults(String commandId, int count) {
        Awaitility.await().atMost(WAIT).until(() -> driver.resultsFor(commandId).size() >= count);
        return driver.resultsFor(commandId);
    }

    /** A claim without a result, as a process left it {@code age} ago (mid-call, or crashed). */
    private void claim(ActionCommand command, Duration age) {
        pool.preparedQuery("INSERT INTO processed_command (command_id, instance_id, action, claimed_at) "
                        + "VALUES ($1, $2, $3, now() - make_interval(secs => $4))")
                .execute(Tuple.of(command.commandId(), command.instanceId(), command.action(),
                        (double) age.toSeconds()))
                .await().atMost(WAIT);
    }

    private ActionResult recorded(String commandId) {
        String json = pool.preparedQuery("SELECT result_json FROM processed_command WHERE command_id = $1")
                .execute(Tuple.of(commandId)).await().atMost(WAIT).iterator().next().getString(0);
        return JsonCodec.read(json, ActionResult.class);
    }

    private double count(String counter) {
        Counter c = metrics.find(counter).tag("action", "HttpRequest").counter();
        return c == null ? 0 : c.count();
    }
}
