package io.engageflow.integration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.integration.client.MailchimpClient;
import io.engageflow.testsupport.CommandDriver;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_integration_test"))
class IntegrationActionsTest {
    static WireMockServer provider;
    private final String ws = "ws-" + UUID.randomUUID().toString().substring(0, 8);
    private final CommandDriver driver = new CommandDriver("actions.integration.commands", ws);
    private static final ContactSnapshot ANN = new ContactSnapshot("c-1", "Ann@Example.com", "+15550100", "Ann", null,
            Map.of());

    @BeforeAll
    static void startProvider() {
        provider = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        provider.start();
    }

    @AfterAll
    static void stopProvider() {
        provider.stop();
    }

    @AfterEach
    void close() {
        driver.close();
        provider.resetAll();
    }

    private String base() {
        return "http://127.0.0.1:" + provider.port();
    }

    private void connect(String name, String key) {
        given().contentType("application/json").body(Map.of("apiKey", key, "baseUrl", base()))
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
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"003XYZ\",\"success\":true,\"errors\":[]}")));
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
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"totalSize\":1,\"done\":true,\"records\":[{\"Id\":\"003XYZ\",\"LastName\":\"Smith\"}]}")));
        ActionResult got = run("SalesforceGetObject", Map.of("objectType", "Contact", "where", "Email = 'a@b.co'"));
        assertThat(got.path()).isEqualTo("Success");
        assertThat(got.outputs()).containsEntry("object", Map.of("Id", "003XYZ", "LastName", "Smith"));
    }

    @Test
    void mailchimpAddressesMembersByTheHashOfTheLowerCasedEmail() {
        connect("mailchimp", "abc-us21");
        String hash = MailchimpClient.subscriberHash("ann@example.com");
        provider.stubFor(put(urlEqualTo("/lists/L1/members/" + hash)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"" + hash + "\"}")));
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
        provider.stubFor(post(urlEqualTo("/v1/campaigns/camp-1/gifts")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"g-1\",\"link\":\"https://lc/g-1\"}")));
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
        provider.stubFor(post(urlEqualTo("/v1/cards")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"card-9\",\"link\":\"https://lc/card-9\"}")));
        ActionResult r = run("LocalCardSendCardFromTemplate", Map.of("cardTemplateId", "T1", "cardValue", 25,
                "deliveryMethod", "Email"));
        assertThat(r.outputs()).containsEntry("card_id", "card-9").containsEntry("card_link", "https://lc/card-9");
        provider.verify(postRequestedFor(urlEqualTo("/v1/cards")).withRequestBody(containing("\"templateId\":\"T1\""))
                .withRequestBody(containing("\"value\":25")));
    }

    @Test
    void httpRequestCallsAllowedHostsAndReportsStatusAndBody() {
        provider.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"received\":true}")));
        ActionResult ok = run("HttpRequest", Map.of("url", base() + "/hook", "headers", Map.of("X-Token", "t"),
                "body", Map.of("email", "ann@example.com")));
        assertThat(ok.path()).isEqualTo("Success");
        assertThat(ok.outputs()).containsEntry("status", 200).containsEntry("body", Map.of("received", true));
        provider.verify(postRequestedFor(urlEqualTo("/hook")).withHeader("X-Token", equalTo("t"))
                .withRequestBody(equalToJson("{\"email\":\"ann@example.com\"}")));

        provider.stubFor(get(urlEqualTo("/missing")).willReturn(aResponse().withStatus(404).withBody("nope")));
        ActionResult missing = run("HttpRequest", Map.of("url", base() + "/missing", "method", "GET"));
        assertThat(missing.path()).isEqualTo("Failure");
        assertThat(missing.outputs()).containsEntry("status", 404).containsEntry("body", "nope");

        provider.stubFor(get(urlEqualTo("/huge")).willReturn(aResponse().withStatus(200).withBody("x".repeat(20_000))));
        ActionResult huge = run("HttpRequest", Map.of("url", base() + "/huge", "method", "GET"));
        assertThat(huge.path()).isEqualTo("Failure");
        assertThat(huge.error().message()).contains("larger than 10000 bytes");
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
}
