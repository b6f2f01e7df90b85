package io.engageflow.integration.client;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every call to an outside provider goes through here: waits for the workspace×provider rate limit, makes a failed
 * attempt again as its {@link Retries} policy allows, with exponential backoff and jitter (a Retry-After header
 * wins), and gives up after {@code max-attempts} with the last answer. Timers run on the caller's Vert.x context.
 */
@ApplicationScoped
public class ProviderHttp {
    private static final Logger LOG = Logger.getLogger(ProviderHttp.class);

    private final Vertx vertx;
    private final WebClient client;
    private final RateLimiter limiter;
    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;

    public ProviderHttp(Vertx vertx, RateLimiter limiter,
                        @ConfigProperty(name = "engageflow.integration.retry.max-attempts", defaultValue = "4")
                        int maxAttempts,
                        @ConfigProperty(name = "engageflow.integration.retry.base-delay", defaultValue = "PT0.2S")
                        Duration baseDelay,
                        @ConfigProperty(name = "engageflow.integration.retry.max-delay", defaultValue = "PT10S")
                        Duration maxDelay) {
        this.vertx = vertx;
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5000)
                .setFollowRedirects(false).setUserAgent("engageflow/0.1"));
        this.limiter = limiter;
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    public WebClient client() {
        return client;
    }

    /** A JSON (or empty) request to an absolute URL with the given headers. */
    public Uni<ProviderResponse> call(String workspace, String provider, HttpMethod method, String url,
                                      Map<String, String> headers, String jsonBody, Duration timeout) {
        return send(workspace, provider, () -> {
            HttpRequest<Buffer> req = client.requestAbs(method, url).timeout(timeout.toMillis());
            headers.forEach(req::putHeader);
            if (jsonBody == null) {
                return req.send();
            }
            req.putHeader("Content-Type", "application/json");
            return req.sendBuffer(Buffer.buffer(jsonBody));
        }, Integer.MAX_VALUE, Retries.ON_FAILURE);
    }

    /**
     * Sends a request built fresh for each attempt, with rate limiting and the retries the policy allows; bodies
     * over maxBytes fail.
     */
    public Uni<ProviderResponse> send(String workspace, String provider, Supplier<Uni<HttpResponse<Buffer>>> request,
                                      int maxBytes, Retries retries) {
        return attempt(workspace, provider, request, maxBytes, retries, 1);
    }

    private Uni<ProviderResponse> attempt(String workspace, String provider, Supplier<Uni<HttpResponse<Buffer>>> request,
                                          int maxBytes, Retries retries, int n) {
        long wait = limiter.reserveMillis(workspace, provider);
        return sleep(wait).chain(() -> request.get())
                .map(resp -> new Attempt(toResponse(resp, maxBytes), false))
                .onFailure().recoverWithItem(e -> new Attempt(new ProviderResponse(0, null, describe(e)), unsent(e)))
                .chain(attempt -> {
                    ProviderResponse resp = attempt.response();
                    if (!retries.allows(resp, attempt.unsent()) || n >= maxAttempts) {
                        return Uni.createFrom().item(resp);
                    }
                    long delay = backoff(n, resp);
                    LOG.infof("%s call attempt %d failed (%s); retrying in %d ms", provider, n, resp.describe(), delay);
                    return sleep(delay).chain(() -> attempt(workspace, provider, request, maxBytes, retries, n + 1));
                });
    }

    /** An attempt's answer, and whether its request never left (no connection): nobody can have acted on it. */
    private record Attempt(ProviderResponse response, boolean unsent) {
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

    private static ProviderResponse toResponse(HttpResponse<Buffer> resp, int maxBytes) {
        Buffer body = resp.body();
        if (body != null && body.length() > maxBytes) {
            return new ProviderResponse(resp.statusCode(), null, "response larger than " + maxBytes + " bytes");
        }
        return new ProviderResponse(resp.statusCode(), body == null ? "" : body.toString(), null,
                retryAfterMillis(resp.getHeader("Retry-After")));
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
        String name = e.getClass().getSimpleName();
        return (name.contains("Timeout") ? "timed out: " : "request failed: ") + e.getMessage();
    }
}
