package io.engageflow.integration.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engageflow.integration.LoopbackServer;
import io.engageflow.integration.domain.UrlGuard;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provider clients (Salesforce, Mailchimp, Braze, LocalCard, Thuzi) share ProviderHttp's deadline and response
 * cap (here 10000 bytes, one attempt), against servers that drip or flood. The deadline is 1 s where it is what ends
 * the call, and 20 s where the cap must end it first even on a loaded machine.
 */
class ProviderHttpTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.closeAndAwait();
    }

    private static ProviderHttp http(Duration deadline) {
        // the servers listen on loopback, which the guard allows only when listed
        return new ProviderHttp(vertx, new UrlGuard(Optional.of(List.of("127.0.0.1"))),
                new RateLimiter(1000, 1000, System::nanoTime), 1, Duration.ofMillis(50), Duration.ofMillis(50),
                deadline, 10_000);
    }

    private static ProviderResponse post(LoopbackServer server, Duration deadline) {
        return http(deadline).call("ws", "braze", HttpMethod.POST, server.url("/users/track"), Map.of(
                "Authorization", "Bearer k"), "{\"events\":[]}").await().atMost(WAIT);
    }

    @Test
    void aProviderThatDripsItsAnswerIsCutOffAtTheDeadline() throws Exception {
        try (LoopbackServer dripping = new LoopbackServer(LoopbackServer.dripBody(600, 1, 100))) {
            ProviderResponse r = post(dripping, Duration.ofSeconds(1));
            assertThat(r.ok()).isFalse();
            assertThat(r.transportError()).isEqualTo("timed out: no complete answer within 1000 ms");
            assertThat(dripping.firstEnding().get(WAIT.toSeconds(), TimeUnit.SECONDS).written())
                    .as("the connection was closed mid-drip").isFalse();
        }
    }

    @Test
    void aProviderAnswerOverTheCapIsNotReadWhole() throws Exception {
        long fiftyMegabytes = 50L * 1024 * 1024;
        try (LoopbackServer streaming = new LoopbackServer(LoopbackServer.streamBody(fiftyMegabytes))) {
            ProviderResponse r = post(streaming, Duration.ofSeconds(20));
            assertThat(r.ok()).isFalse();
            assertThat(r.transportError()).isEqualTo("response larger than 10000 bytes");
            LoopbackServer.Ending ending = streaming.firstEnding().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(ending.written()).as("the connection was closed").isFalse();
            assertThat(ending.bytes()).isLessThan(fiftyMegabytes);
        }
    }

    @Test
    void aProviderAnswerDeclaredOverTheCapIsRefusedOnItsHeaders() throws Exception {
        try (LoopbackServer declared = new LoopbackServer(LoopbackServer.respond("HTTP/1.1 200 OK\r\n"
                + "Content-Length: 52428800\r\n\r\n" + "z".repeat(1000)))) {
            ProviderResponse r = post(declared, Duration.ofSeconds(20));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.transportError()).isEqualTo("response larger than 10000 bytes");
        }
    }

    /** A HEAD answer declares the length of a body it does not carry: that is no reason to refuse it. */
    @Test
    void aHeadAnswerIsNotJudgedByTheLengthItDeclares() throws Exception {
        try (LoopbackServer declared = new LoopbackServer(LoopbackServer.respond("HTTP/1.1 200 OK\r\n"
                + "Content-Length: 52428800\r\n\r\n"))) {
            ProviderResponse r = http(Duration.ofSeconds(20)).call("ws", "braze", HttpMethod.HEAD,
                    declared.url("/users/track"), Map.of(), null).await().atMost(WAIT);
            assertThat(r.transportError()).isNull();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEmpty();
        }
    }

    /**
     * Provider calls pass the URL guard: a refused URL fails the call before any connection (the action turns it into
     * UrlNotAllowed), and a host that does not resolve is an unreachable provider (status 0, no answer), as before.
     */
    @Test
    void aProviderUrlPassesTheGuardBeforeAnyConnection() throws Exception {
        try (LoopbackServer server = new LoopbackServer(LoopbackServer.respond("HTTP/1.1 200 OK\r\n"
                + "Content-Length: 0\r\n\r\n"))) {
            String viaIpv6 = "http://[::ffff:127.0.0.1]:" + server.port() + "/users/track";
            assertThatThrownBy(() -> http(Duration.ofSeconds(20)).call("ws", "braze", HttpMethod.POST, viaIpv6,
                    Map.of(), "{}").await().atMost(WAIT)).isInstanceOf(UrlGuard.Refused.class)
                    .hasMessageContaining("written as IPv6");
            assertThat(server.connections()).isZero();
        }
        ProviderResponse nowhere = http(Duration.ofSeconds(20)).call("ws", "braze", HttpMethod.POST,
                "https://nowhere.invalid/users/track", Map.of(), "{}").await().atMost(WAIT);
        assertThat(nowhere.status()).isZero();
        assertThat(nowhere.transportError()).isEqualTo("request failed: host nowhere.invalid does not resolve");
    }
}
