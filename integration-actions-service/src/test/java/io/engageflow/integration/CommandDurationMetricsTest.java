package io.engageflow.integration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.integration.WireMockPeer.InjectPeer;
import io.engageflow.testsupport.CommandDriver;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The step latency an alert reads: after a command ran, /q/metrics exports the histogram
 * engageflow_commands_duration_seconds with its action and path, in buckets from milliseconds to 30 s, so the step p99
 * alert of deploy/k8s/monitoring.yaml has data per action.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_integration_test"))
@QuarkusTestResource(WireMockPeer.class)
class CommandDurationMetricsTest {
    private static final Pattern BUCKET = Pattern.compile(
            "engageflow_commands_duration_seconds_bucket\\{action=\"HttpRequest\",path=\"(\\w+)\",le=\"([^\"]+)\"} ([0-9.E]+)");
    @InjectPeer
    WireMockPeer.Server receiver;
    private final CommandDriver driver = new CommandDriver("actions.integration.commands",
            "ws-" + UUID.randomUUID().toString().substring(0, 8));

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void aCommandThatRanIsInTheDurationHistogramOfItsActionAndPath() {
        receiver.stubFor(post(urlEqualTo("/ok")).willReturn(aResponse().withStatus(200)));
        receiver.stubFor(post(urlEqualTo("/down")).willReturn(aResponse().withStatus(404)));
        ContactSnapshot ann = ContactSnapshot.ofId("c-1");
        double successBefore = infCount("Success");
        double failureBefore = infCount("Failure");
        assertThat(driver.run(driver.command("HttpRequest", ann, Map.of("url", receiver.base() + "/ok"))).path())
                .isEqualTo("Success");
        assertThat(driver.run(driver.command("HttpRequest", ann, Map.of("url", receiver.base() + "/down"))).path())
                .isEqualTo("Failure");

        // recorded once the result is published, which the driver saw: the next scrape has it
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> infCount("Success") == successBefore + 1 && infCount("Failure") == failureBefore + 1);
        String metrics = scrape();
        for (String le : new String[] {"0.005", "0.1", "1.0", "5.0", "30.0", "+Inf"}) {
            assertThat(metrics).as("bucket le=%s", le)
                    .contains("engageflow_commands_duration_seconds_bucket{action=\"HttpRequest\",path=\"Success\",le=\""
                            + le + "\"}");
        }
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The +Inf bucket of the path: how many commands of HttpRequest took it. */
    private static double infCount(String path) {
        Matcher m = BUCKET.matcher(scrape());
        while (m.find()) {
            if (m.group(1).equals(path) && m.group(2).equals("+Inf")) {
                return Double.parseDouble(m.group(3));
            }
        }
        return 0;
    }
}
