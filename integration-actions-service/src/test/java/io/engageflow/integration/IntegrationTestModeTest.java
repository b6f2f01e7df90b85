package io.engageflow.integration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.integration.WireMockPeer.InjectPeer;
import io.engageflow.testsupport.CommandDriver;
import io.engageflow.testsupport.RealInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Commands of a test run ({@code test: true}, CONTRACT.md "Runs an admin can act on"): a webhook or a provider is not
 * called — the receiver gets no request — and the answer says what would have been sent. That nothing was called is
 * proven with a marker: a later real HttpRequest the receiver does get, sent after the test command was answered.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_integration_test"))
@QuarkusTestResource(WireMockPeer.class)
class IntegrationTestModeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ContactSnapshot ANN = new ContactSnapshot("c-1", "ann@example.com", null, "Ann", null,
            Map.of());
    @InjectPeer
    WireMockPeer.Server receiver;
    private final String ws = "ws-" + UUID.randomUUID().toString().substring(0, 8);
    private final CommandDriver driver = new CommandDriver("actions.integration.commands", ws);

    @Inject
    MeterRegistry metrics;

    @AfterEach
    void close() {
        driver.close();
    }

    /** The same command as a test run's. */
    private static ActionCommand test(ActionCommand c) {
        return new ActionCommand(c.commandId(), c.instanceId(), c.stepId(), c.attempt(), c.workspaceId(), c.action(),
                c.config(), c.contact(), c.trigger(), c.deadline(), c.steps(), true);
    }

    @Test
    void aTestHttpRequestCallsNothingAndAnswersWhatItWouldHaveSentTheSameOnRedelivery() {
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        receiver.stubFor(post(urlEqualTo("/marker")).willReturn(aResponse().withStatus(200)));
        double testsBefore = count("engageflow.commands.test");
        double realBefore = count("engageflow.commands");
        ActionCommand hook = test(driver.command("HttpRequest", ANN, Map.of("url", receiver.base() + "/hook",
                "headers", Map.of("X-Token", "t"), "body", Map.of("email", "ann@example.com"))));
        driver.send(hook);
        driver.send(hook); // delivered again: answered from its record, still nothing called
        Awaitility.await().atMost(WAIT).until(() -> driver.resultsFor(hook.commandId()).size() == 2);

        assertThat(driver.resultsFor(hook.commandId())).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("Success");
            assertThat(r.error()).isNull();
            // the request as it would have gone, the catalog's defaults (method, timeout) filled in
            assertThat(r.outputs()).isEqualTo(Map.of("test", true, "wouldSend", Map.of("url", receiver.base() + "/hook",
                    "headers", Map.of("X-Token", "t"), "body", Map.of("email", "ann@example.com"),
                    "method", "POST", "timeoutMs", 10000)));
        });

        ActionResult marker = driver.run(driver.command("HttpRequest", ANN,
                Map.of("url", receiver.base() + "/marker")));
        assertThat(marker.path()).isEqualTo("Success");
        receiver.verify(1, postRequestedFor(urlEqualTo("/marker")));
        // the marker's request is the only one the receiver ever got
        receiver.verify(1, anyRequestedFor(anyUrl()));
        // counted apart from real work: the marker as real (counted just after its result is published) ...
        Awaitility.await().atMost(WAIT).until(() -> count("engageflow.commands") - realBefore == 1.0);
        // ... the test command once, counted before its redelivery was answered in the partition's next poll
        assertThat(count("engageflow.commands.test") - testsBefore).isEqualTo(1.0);
    }

    private double count(String metric) {
        var counter = metrics.find(metric).tags("action", "HttpRequest", "path", "Success").counter();
        return counter == null ? 0 : counter.count();
    }

    /** Reading from a provider is a call outside too: a test SalesforceGetObject is not performed. */
    @Test
    void aTestProviderActionCallsNoProvider() {
        given().contentType("application/json").body(Map.of("apiKey", "00Dtoken", "baseUrl", receiver.base()))
                .put("/api/workspaces/" + ws + "/connected-apps/salesforce").then().statusCode(200);
        receiver.stubFor(post(urlEqualTo("/marker")).willReturn(aResponse().withStatus(200)));
        ActionResult get = driver.run(test(driver.command("SalesforceGetObject", ANN,
                Map.of("objectType", "Contact", "objectId", "003XYZ"))));
        assertThat(get.path()).isEqualTo("Success");
        assertThat(get.outputs()).isEqualTo(Map.of("test", true, "wouldSend",
                Map.of("objectType", "Contact", "objectId", "003XYZ")));

        assertThat(driver.run(driver.command("HttpRequest", ANN, Map.of("url", receiver.base() + "/marker"))).path())
                .isEqualTo("Success");
        receiver.verify(1, anyRequestedFor(anyUrl()));
        receiver.verify(1, postRequestedFor(urlEqualTo("/marker")));
    }
}
