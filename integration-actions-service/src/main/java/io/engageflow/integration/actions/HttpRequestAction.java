package io.engageflow.integration.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.integration.client.ProviderHttp;
import io.engageflow.integration.client.ProviderResponse;
import io.engageflow.integration.client.Retries;
import io.engageflow.integration.config.IntegrationSettings;
import io.engageflow.integration.domain.UrlGuard;
import io.engageflow.runtime.actions.ActionConfig.AsWritten;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.TypedOutsideAction;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Calls a webhook or any HTTP API: Success on 2xx, Failure otherwise; outputs {@code status} and {@code body} (parsed
 * when JSON). Guarded by {@link UrlGuard}; the response is capped in size
 * ({@code engageflow.http-request.max-response-bytes}, enforced as the body streams in) and each attempt in time:
 * {@code timeoutMs} (default 10000) is one deadline for connecting, sending, the headers and the whole body, and
 * must be from 1 to {@code engageflow.http-request.max-timeout} (30 s by default) or the step takes Failure
 * (InvalidConfig) without any call.
 *
 * <p>Each request carries {@code Idempotency-Key: <commandId>} (a {@code headers} entry of the same name replaces
 * it), the same on every attempt and on a call made again after a crash, so a receiver that honours the header acts
 * once. As the receiver may not, a failed attempt is made again only where it cannot have acted
 * ({@link Retries#WHERE_UNSENT}: connection refused or not established, 429 or 503 with Retry-After); after a
 * timeout or another error the step takes Failure rather than post the same command twice.
 */
@ApplicationScoped
public class HttpRequestAction implements TypedOutsideAction<HttpRequestAction.Request> {
    /**
     * The config the pipeline decodes (catalog defaults filled in): the URL, the method as written (judged here, so
     * that a blank or unknown one is named in the refusal), the headers, the body (any JSON value, as sent) and
     * timeoutMs as sent (judged here: its refusal quotes the value as written, which a number would lose).
     */
    public record Request(String url, @AsWritten String method, Map<String, Object> headers, Object body,
                          Object timeoutMs) {
    }

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** timeoutMs when a step does not set it, as the catalog says. */
    static final long DEFAULT_TIMEOUT_MS = 10_000;

    /** In this order in the refusal of another (a Set.of would name them in an order that changes with each start). */
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");

    private final UrlGuard guard;
    private final ProviderHttp http;
    private final Vertx vertx;
    private final int maxResponseBytes;
    private final Duration maxTimeout;

    @Inject
    public HttpRequestAction(UrlGuard guard, ProviderHttp http, Vertx vertx, IntegrationSettings settings) {
        this(guard, http, vertx, settings.httpRequest().maxResponseBytes(), settings.httpRequest().maxTimeout());
    }

    public HttpRequestAction(UrlGuard guard, ProviderHttp http, Vertx vertx, int maxResponseBytes,
                             Duration maxTimeout) {
        this.guard = guard;
        this.http = http;
        this.vertx = vertx;
        this.maxResponseBytes = maxResponseBytes;
        this.maxTimeout = maxTimeout;
    }

    @Override
    public String action() {
        return "HttpRequest";
    }

    @Override
    public Class<Request> configType(String action) {
        return Request.class;
    }

    @Override
    public Uni<ActionOutcome> call(ActionCommand command, Request config) {
        String method = config.method().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG,
                    "method must be one of " + METHODS));
        }
        Decoded<Long> timeout = timeoutMillis(config.timeoutMs());
        if (!timeout.isOk()) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG, timeout.errors().get(0)));
        }
        long timeoutMs = timeout.value();
        // DNS resolution blocks: do it on a worker, come back on this context
        return vertx.executeBlocking(() -> guard.check(config.url()), false)
                .chain(target -> http.send(command.workspaceId(), "http",
                        () -> request(target, method, command.commandId(), config.headers(),
                                config.body()), timeoutMs, maxResponseBytes, Retries.WHERE_UNSENT)
                        .map(HttpRequestAction::outcome))
                .onFailure(UrlGuard.Refused.class)
                .recoverWithItem(e -> ActionOutcome.failure(ErrorCodes.URL_NOT_ALLOWED, e.getMessage()));
    }

    /**
     * The deadline of each attempt in milliseconds: timeoutMs when set, else the default (never over the longest);
     * or why the value is refused: it is not a whole number, or it is outside (0, max-timeout].
     */
    private Decoded<Long> timeoutMillis(Object raw) {
        long max = maxTimeout.toMillis();
        if (raw == null || raw instanceof String s && s.isBlank()) {
            return Decoded.ok(Math.min(DEFAULT_TIMEOUT_MS, max));
        }
        BigDecimal value = ConfigValues.toNumber(raw).orElse(null);
        if (value == null || value.stripTrailingZeros().scale() > 0) {
            return Decoded.failed("timeoutMs must be a whole number of milliseconds, not " + raw);
        }
        if (value.signum() <= 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            return Decoded.failed("timeoutMs must be from 1 to " + max + " (engageflow.http-request.max-timeout), not "
                    + raw);
        }
        return Decoded.ok(value.longValueExact());
    }

    private ProviderHttp.Outbound request(UrlGuard.Target t, String method, String commandId,
                                          Map<String, Object> headers, Object body) {
        RequestOptions req = ProviderHttp.options(t, HttpMethod.valueOf(method));
        req.putHeader(IDEMPOTENCY_KEY, commandId);
        if (headers != null) {
            headers.forEach((k, v) -> req.putHeader(k, String.valueOf(v)));
        }
        if (body == null || method.equals("GET") || method.equals("HEAD")) {
            return new ProviderHttp.Outbound(req, null);
        }
        if (body instanceof String s) {
            if (req.getHeaders().get("Content-Type") == null) {
                req.putHeader("Content-Type", looksLikeJson(s) ? "application/json" : "text/plain; charset=utf-8");
            }
            return new ProviderHttp.Outbound(req, Buffer.buffer(s));
        }
        if (req.getHeaders().get("Content-Type") == null) {
            req.putHeader("Content-Type", "application/json");
        }
        return new ProviderHttp.Outbound(req, Buffer.buffer(JsonCodec.encode(body)));
    }

    private static ActionOutcome outcome(ProviderResponse r) {
        if (r.transportError() != null) {
            return ActionOutcome.failure(ErrorCodes.PROVIDER_ERROR, r.transportError(), Map.of("status", 0));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", r.status());
        String text = r.body() == null ? "" : r.body();
        var tree = JsonCodec.parse(text);
        out.put("body", looksLikeJson(text) && tree.isOk() ? JsonCodec.mapper().convertValue(tree.value(),
                Object.class) : text);
        return r.status() / 100 == 2 ? ActionOutcome.success(out)
                : ActionOutcome.failure(ErrorCodes.PROVIDER_ERROR, "HTTP " + r.status(), out);
    }

    private static boolean looksLikeJson(String s) {
        String t = s.trim();
        return t.startsWith("{") || t.startsWith("[");
    }
}
