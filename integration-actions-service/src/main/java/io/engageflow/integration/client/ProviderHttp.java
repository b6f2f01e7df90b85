package io.engageflow.integration.client;

import io.engageflow.integration.config.IntegrationSettings;
import jakarta.inject.Inject;
import io.engageflow.integration.domain.UrlGuard;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Every call to an outside provider goes through here: waits for the workspace×provider rate limit, makes a failed
 * attempt again as its {@link Retries} policy allows, with exponential backoff and jitter (a Retry-After header
 * wins), and gives up after {@code max-attempts} with the last answer. Timers run on the caller's Vert.x context.
 *
 * <p>Each attempt has one deadline for all of it (waiting for a pooled connection, connecting, sending, the headers
 * and the whole body): when it passes, the request is reset (its connection closed) and the attempt fails "timed
 * out", however steadily the server was still sending. The body is read as it arrives and the attempt fails as soon
 * as it passes the size cap (a Content-Length over the cap fails before any of the body is read); the connection is
 * then closed, so the rest is never read.
 *
 * <p>Every URL passes the {@link UrlGuard} first (a refusal fails the call with {@link UrlGuard.Refused}, before any
 * connection), and the request goes to the address the guard checked, with the URL's host for the Host header, SNI
 * and certificate checks. Redirects are never followed.
 */
@ApplicationScoped
public class ProviderHttp {
    private static final Logger LOG = Logger.getLogger(ProviderHttp.class);
    private static final String USER_AGENT = "engageflow/0.1";

    /** Where an attempt goes and what it sends; built afresh for each attempt. */
    public record Outbound(RequestOptions options, Buffer body) {
    }

    private final Vertx vertx;
    private final UrlGuard guard;
    private final HttpClient client;
    private final RateLimiter limiter;
    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Duration providerTimeout;
    private final int providerMaxBytes;

    @Inject
    public ProviderHttp(Vertx vertx, UrlGuard guard, RateLimiter limiter, IntegrationSettings settings) {
        this(vertx, guard, limiter, settings.integration().retry().maxAttempts(),
                settings.integration().retry().baseDelay(), settings.integration().retry().maxDelay(),
                settings.integration().timeout(), settings.integration().maxResponseBytes());
    }

    public ProviderHttp(Vertx vertx, UrlGuard guard, RateLimiter limiter, int maxAttempts, Duration baseDelay,
                        Duration maxDelay, Duration providerTimeout, int providerMaxBytes) {
        this.vertx = vertx;
        this.guard = guard;
        // the connect timeout fails a connection that cannot be made as a ConnectException (nothing was sent), which
        // HttpRequest may try again; the attempt's deadline bounds it too
        this.client = vertx.getDelegate().createHttpClient(new HttpClientOptions().setConnectTimeout(5000));
        this.limiter = limiter;
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.providerTimeout = providerTimeout;
        this.providerMaxBytes = providerMaxBytes;
    }

    /**
     * A JSON (or empty) request to a provider's absolute URL with the given headers, within the provider deadline
     * ({@code engageflow.integration.timeout}) and response cap ({@code engageflow.integration.max-response-bytes}).
     * The URL is checked (and its host resolved) once, off the event loop; every attempt goes to that address. A URL
     * the guard refuses fails the call with {@link UrlGuard.Refused}; a host that does not resolve is an answer
     * (status 0, "request failed: host … does not resolve") after the retries, as an unreachable one is.
     */
    public Uni<ProviderResponse> call(String workspace, String provider, HttpMethod method, String url,
                                      Map<String, String> headers, String jsonBody) {
        return checked(url, 1).chain(target -> send(workspace, provider, () -> {
            RequestOptions options = options(target, method);
            headers.forEach(options::putHeader);
            if (jsonBody == null) {
                return new Outbound(options, null);
            }
            options.putHeader("Content-Type", "application/json");
            return new Outbound(options, Buffer.buffer(jsonBody.getBytes(StandardCharsets.UTF_8)));
        }, providerTimeout.toMillis(), providerMaxBytes, Retries.ON_FAILURE))
                .onFailure(UrlGuard.Unresolvable.class)
                .recoverWithItem(e -> new ProviderResponse(0, null, "request failed: " + e.getMessage()));
    }

    /**
     * The guard's target for a URL, resolved off the event loop. A host that does not resolve is looked up again
     * with the retries' backoff, as a connection that could not be made is tried again; after max-attempts it fails
     * with {@link UrlGuard.Unresolvable}. Any other refusal fails at once.
     */
    private Uni<UrlGuard.Target> checked(String url, int n) {
        return vertx.executeBlocking(() -> guard.check(url), false)
                .onFailure(UrlGuard.Unresolvable.class).recoverWithUni(e -> n >= maxAttempts
                        ? Uni.createFrom().failure(e)
                        : sleep(backoff(n, new ProviderResponse(0, null, e.getMessage())))
                                .chain(() -> checked(url, n + 1)));
    }

    /**
     * A request to the address the guard checked (so no second DNS answer can move it), with the URL's host for the
     * Host header, SNI and the certificate's check.
     */
    public static RequestOptions options(UrlGuard.Target target, HttpMethod method) {
        return new RequestOptions().setMethod(method)
                .setServer(SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()))
                .setHost(target.host()).setPort(target.port()).setSsl(target.ssl()).setURI(target.pathAndQuery());
    }

    /**
     * Sends a request built fresh for each attempt, with rate limiting and the retries the policy allows; each
     * attempt ends within timeoutMillis (the rate limiter's wait and the backoff come on top), and a body over
     * maxBytes fails it.
     */
    public Uni<ProviderResponse> send(String workspace, String provider, Supplier<Outbound> request,
                                      long timeoutMillis, int maxBytes, Retries retries) {
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("a call needs a deadline: " + timeoutMillis + " ms");
        }
        return attempt(workspace, provider, request, timeoutMillis, maxBytes, retries, 1);
    }

    private Uni<ProviderResponse> attempt(String workspace, String provider, Supplier<Outbound> request,
                                          long timeoutMillis, int maxBytes, Retries retries, int n) {
        long wait = limiter.reserveMillis(workspace, provider);
        return sleep(wait).chain(() -> exchange(request, timeoutMillis, maxBytes))
                .chain(attempt -> {
                    ProviderResponse resp = attempt.response();
                    if (!retries.allows(resp, attempt.unsent()) || n >= maxAttempts) {
                        return Uni.createFrom().item(resp);
                    }
                    long delay = backoff(n, resp);
                    // the status or the transport error only: an answer's body may hold a contact's details
                    LOG.infof("%s call for workspace %s: attempt %d failed (%s); retrying in %d ms", provider,
                            workspace, n, resp.transportError() != null ? resp.transportError()
                                    : "HTTP " + resp.status(), delay);
                    return sleep(delay).chain(() -> attempt(workspace, provider, request, timeoutMillis, maxBytes,
                            retries, n + 1));
                });
    }

    /** An attempt's answer, and whether its request never left (no connection): nobody can have acted on it. */
    private record Attempt(ProviderResponse response, boolean unsent) {
    }

    private Uni<Attempt> exchange(Supplier<Outbound> request, long timeoutMillis, int maxBytes) {
        return Uni.createFrom().emitter(emitter -> {
            Outbound outbound;
            try {
                outbound = request.get();
            } catch (RuntimeException e) {
                emitter.complete(new Attempt(new ProviderResponse(0, null, describe(e)), true));
                return;
            }
            Exchange exchange = new Exchange(emitter, timeoutMillis, maxBytes);
            try {
                exchange.start(outbound);
            } catch (RuntimeException e) {
                exchange.fail(e);
            }
        });
    }

    /**
     * One attempt on the wire. Its callbacks run on the caller's context; the flag makes the first of the deadline,
     * the cap, an error, the end of the body or a cancellation the only one that counts.
     */
    private final class Exchange {
        private final UniEmitter<? super Attempt> emitter;
        private final long timeoutMillis;
        private final int maxBytes;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile HttpClientRequest request;
        /** Whether any of the request may have left: from the moment it is handed to the connection. */
        private volatile boolean sent;
        private long timer;

        Exchange(UniEmitter<? super Attempt> emitter, long timeoutMillis, int maxBytes) {
            this.emitter = emitter;
            this.timeoutMillis = timeoutMillis;
            this.maxBytes = maxBytes;
        }

        void start(Outbound outbound) {
            RequestOptions options = outbound.options();
            if (options.getHeaders() == null || !options.getHeaders().contains("User-Agent")) {
                options.putHeader("User-Agent", USER_AGENT);
            }
            // waiting for a pooled connection and connecting end by the deadline as well
            options.setFollowRedirects(false).setConnectTimeout(timeoutMillis);
            timer = vertx.getDelegate().setTimer(timeoutMillis, id -> fail(new DeadlineExceeded(timeoutMillis)));
            emitter.onTermination(() -> {
                vertx.getDelegate().cancelTimer(timer);
                if (done.compareAndSet(false, true)) { // cancelled from downstream: let go of the connection
                    reset(null);
                }
            });
            Future<HttpClientRequest> connection;
            try {
                connection = client.request(options);
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            connection.onComplete(obtained -> {
                if (obtained.failed()) {
                    fail(obtained.cause());
                    return;
                }
                HttpClientRequest req = obtained.result();
                request = req;
                if (done.get()) { // the deadline passed while it waited for its connection
                    reset(null);
                    return;
                }
                Future<HttpClientResponse> answer;
                try {
                    answer = outbound.body() == null ? req.send() : req.send(outbound.body());
                } catch (RuntimeException e) { // e.g. a header value Vert.x refuses: nothing went out
                    fail(e);
                    return;
                }
                sent = true;
                answer.onComplete(response -> {
                    if (response.failed()) {
                        fail(response.cause());
                    } else {
                        read(response.result());
                    }
                });
            });
        }

        private void read(HttpClientResponse response) {
            if (done.get()) {
                return;
            }
            response.exceptionHandler(this::fail);
            // the length a HEAD or 304 answer declares is of a body it does not carry
            boolean bodyFollows = !HttpMethod.HEAD.equals(response.request().getMethod()) && response.statusCode() != 304;
            String length = response.getHeader("Content-Length");
            if (bodyFollows && length != null && declaredOver(length)) {
                tooLarge(response);
                return;
            }
            Buffer body = Buffer.buffer();
            response.handler(chunk -> {
                if (done.get()) {
                    return;
                }
                if ((long) body.length() + chunk.length() > maxBytes) {
                    tooLarge(response);
                } else {
                    body.appendBuffer(chunk);
                }
            });
            response.endHandler(end -> finish(new ProviderResponse(response.statusCode(), body.toString(), null,
                    retryAfterMillis(response.getHeader("Retry-After")))));
        }

        private boolean declaredOver(String length) {
            try {
                return Long.parseLong(length.trim()) > maxBytes;
            } catch (NumberFormatException e) {
                return false; // Vert.x refuses a malformed length itself
            }
        }

        private void tooLarge(HttpClientResponse response) {
            if (done.compareAndSet(false, true)) {
                vertx.getDelegate().cancelTimer(timer);
                reset(null);
                emitter.complete(new Attempt(new ProviderResponse(response.statusCode(), null,
                        "response larger than " + maxBytes + " bytes"), false));
            }
        }

        private void finish(ProviderResponse response) {
            if (done.compareAndSet(false, true)) {
                vertx.getDelegate().cancelTimer(timer);
                emitter.complete(new Attempt(response, false));
            }
        }

        private void fail(Throwable e) {
            if (done.compareAndSet(false, true)) {
                vertx.getDelegate().cancelTimer(timer);
                reset(e);
                emitter.complete(new Attempt(new ProviderResponse(0, null, describe(e)), !sent || unsent(e)));
            }
        }

        /** On HTTP/1.x a reset closes the connection: what the server still sends is not read. */
        private void reset(Throwable cause) {
            HttpClientRequest req = request;
            if (req != null) {
                if (sent && req.connection() != null) {
                    // closed on purpose: what it reports as it goes ("closed before received headers") is expected
                    req.connection().exceptionHandler(e -> LOG.debugf("closed connection: %s", e.getMessage()));
                }
                if (cause == null) {
                    req.reset(0);
                } else {
                    req.reset(0, cause);
                }
            }
        }
    }

    /** An attempt that did not end within its deadline. */
    static final class DeadlineExceeded extends TimeoutException {
        DeadlineExceeded(long millis) {
            super("no complete answer within " + millis + " ms");
        }
    }

    /**
     * The connection was refused or could not be made in time (Netty's connect failures are ConnectExceptions), or
     * the host did not resolve: the request was never sent.
     */
    static boolean unsent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /** Retry-After in seconds or as an HTTP date. */
    static Long retryAfterMillis(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Math.max(0, Long.parseLong(header.trim()) * 1000);
        } catch (NumberFormatException e) {
            try {
                return Math.max(0, java.time.ZonedDateTime.parse(header.trim(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli()
                        - System.currentTimeMillis());
            } catch (java.time.format.DateTimeParseException ignored) {
                return null;
            }
        }
    }

    long backoff(int attempt, ProviderResponse r) {
        if (r.retryAfterMillis() != null) {
            return Math.min(r.retryAfterMillis(), maxDelay.toMillis());
        }
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() * (1L << Math.min(attempt - 1, 20)));
        return ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
    }

    private Uni<Void> sleep(long millis) {
        if (millis <= 0) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(e -> vertx.setTimer(millis, id -> e.complete(null)));
    }

    private static String describe(Throwable e) {
        boolean timedOut = e instanceof TimeoutException || e.getClass().getSimpleName().contains("Timeout");
        return (timedOut ? "timed out: " : "request failed: ") + e.getMessage();
    }
}
