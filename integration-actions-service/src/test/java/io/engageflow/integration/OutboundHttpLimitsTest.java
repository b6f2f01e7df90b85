package io.engageflow.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.testsupport.CommandDriver;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HttpRequest against hostile receivers, end to end through the command topic: one deadline per attempt however
 * steadily the server sends, timeoutMs refused outside (0, engageflow.http-request.max-timeout] (30 s here), and the
 * response cap (engageflow.http-request.max-response-bytes, 10000 in the tests) enforced while the body streams in.
 * Each server tells whether the service read its whole answer or closed the connection first.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_integration_test"))
class OutboundHttpLimitsTest {
    private static final ContactSnapshot ANN = new ContactSnapshot("c-1", "ann@example.com", null, "Ann", null,
            Map.of());
    /** How long a server's answer has to end once the step has its result; a read-it-all client never ends it. */
    private static final long ENDING_WAIT_SECONDS = 30;

    private final String ws = "ws-" + UUID.randomUUID().toString().substring(0, 8);
    private final CommandDriver driver = new CommandDriver("actions.integration.commands", ws);

    @AfterEach
    void close() {
        driver.close();
    }

    private ActionResult run(Map<String, Object> config) {
        return driver.run(driver.command("HttpRequest", ANN, config));
    }

    /**
     * A body dripped a byte every 100 ms for a minute keeps an idle timeout from ever firing; the deadline of 1000 ms
     * ends the step, closes the connection (the server's drip is cut off) and is not tried again.
     */
    @Test
    void aServerThatDripsItsBodyIsCutOffAtTheDeadline() throws Exception {
        try (LoopbackServer dripping = new LoopbackServer(LoopbackServer.dripBody(600, 1, 100))) {
            long start = System.nanoTime();
            ActionResult r = run(Map.of("url", dripping.url("/slow-body"), "method", "GET", "timeoutMs", 1000));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(r.path()).isEqualTo("Failure");
            assertThat(r.error().code()).isEqualTo("ProviderError");
            assertThat(r.error().message()).isEqualTo("timed out: no complete answer within 1000 ms");
            assertThat(r.outputs()).isEqualTo(Map.of("status", 0));
            LoopbackServer.Ending ending = dripping.firstEnding().get(ENDING_WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(ending.written()).as("the service closed the connection mid-drip").isFalse();
            assertThat(tookMillis).as("ended by the deadline, not before it").isGreaterThanOrEqualTo(1000);
            assertThat(dripping.requests()).as("a timed-out webhook is not called again").isEqualTo(1);
        }
    }

    /**
     * The same for a server that sends its status line and then a header line every 100 ms: the deadline covers the
     * headers too, and the connection is closed. (Vert.x's idle timer counts whole HTTP messages, not bytes, so it
     * would also have fired here; it is the dripped body that only a total deadline ends.)
     */
    @Test
    void aServerThatDripsItsHeadersIsCutOffAtTheDeadline() throws Exception {
        try (LoopbackServer dripping = new LoopbackServer(LoopbackServer.dripHeaders(600, 100))) {
            ActionResult r = run(Map.of("url", dripping.url("/slow-headers"), "timeoutMs", 1000,
                    "body", Map.of("email", "ann@example.com")));

            assertThat(r.path()).isEqualTo("Failure");
            assertThat(r.error().code()).isEqualTo("ProviderError");
            assertThat(r.error().message()).isEqualTo("timed out: no complete answer within 1000 ms");
            LoopbackServer.Ending ending = dripping.firstEnding().get(ENDING_WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(ending.written()).as("the service closed the connection mid-headers").isFalse();
            assertThat(dripping.requests()).isEqualTo(1);
        }
    }

    /**
     * timeoutMs of 0, below 0, over the longest (30000 here; also far past any long), or not a whole number:
     * Failure InvalidConfig, and the receiver is never called. The longest itself is allowed.
     */
    @Test
    void aTimeoutOutsideItsRangeIsRefusedWithoutACall() throws Exception {
        try (LoopbackServer receiver = new LoopbackServer(LoopbackServer.respond(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"))) {
            for (Object timeout : List.of(0, -5, 30_001, new BigInteger("1" + "0".repeat(30)), 2.5, "soon")) {
                ActionResult r = run(Map.of("url", receiver.url("/hook"), "timeoutMs", timeout));
                assertThat(r.path()).as("timeoutMs %s", timeout).isEqualTo("Failure");
                assertThat(r.error().code()).as("timeoutMs %s", timeout).isEqualTo("InvalidConfig");
                assertThat(r.error().message()).as("timeoutMs %s", timeout).startsWith("timeoutMs must be")
                        .endsWith("not " + timeout);
            }
            assertThat(run(Map.of("url", receiver.url("/hook"), "timeoutMs", -5)).error().message())
                    .isEqualTo("timeoutMs must be from 1 to 30000 (engageflow.http-request.max-timeout), not -5");
            assertThat(receiver.connections()).as("no refused step called the receiver").isZero();

            ActionResult atTheLongest = run(Map.of("url", receiver.url("/hook"), "timeoutMs", 30_000));
            assertThat(atTheLongest.path()).isEqualTo("Success");
            assertThat(atTheLongest.outputs()).isEqualTo(Map.of("status", 200, "body", "ok"));
            assertThat(receiver.requests()).isEqualTo(1);
        }
    }

    /**
     * A 50 MB body with no Content-Length against the 10000-byte cap: the step fails as soon as the cap is passed
     * and the connection is closed, so the server's write fails long before its 50 MB are out. A service that
     * buffered the body first would read all of it and the server would end its answer whole.
     */
    @Test
    void aBodyOverTheCapFailsTheStepWithoutBeingReadWhole() throws Exception {
        long fiftyMegabytes = 50L * 1024 * 1024;
        try (LoopbackServer streaming = new LoopbackServer(LoopbackServer.streamBody(fiftyMegabytes))) {
            ActionResult r = run(Map.of("url", streaming.url("/huge"), "method", "GET"));

            assertThat(r.path()).isEqualTo("Failure");
            assertThat(r.error().code()).isEqualTo("ProviderError");
            assertThat(r.error().message()).isEqualTo("response larger than 10000 bytes");
            LoopbackServer.Ending ending = streaming.firstEnding().get(ENDING_WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(ending.written()).as("the service closed the connection").isFalse();
            assertThat(ending.bytes()).as("what the server got out before the close").isLessThan(fiftyMegabytes);
        }
    }
}
