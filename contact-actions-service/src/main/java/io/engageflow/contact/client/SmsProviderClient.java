package io.engageflow.contact.client;

import io.engageflow.contact.config.ContactSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends SMS through Twilio's Messages API ({@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json}, form fields
 * To, From, Body, HTTP basic auth with the account SID and auth token); any provider speaking that API works, set
 * by {@code engageflow.sms.base-url}. That API takes no idempotency key (Twilio's Message create has no such
 * parameter or header; only a few other resources, e.g. a call's UserDefinedMessages, take an IdempotencyKey), so
 * none is sent: a repeated call sends a second SMS.
 */
@ApplicationScoped
public class SmsProviderClient {
    /**
     * The provider's answer: its message id, or why it refused. {@code error} may quote the provider's answer, which
     * can echo the number and the text; {@code failure} says the same for logs with codes only (the HTTP status, or
     * the type of the failure when there was no answer).
     */
    public record SmsResult(String providerMessageId, String error, boolean retryable, String failure) {
    }

    private final WebClient client;
    private final URI baseUrl;
    private final Optional<String> accountSid;
    private final Optional<String> authToken;
    private final Optional<String> from;

    public SmsProviderClient(Vertx vertx, ContactSettings settings) {
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5000));
        this.baseUrl = settings.sms().baseUrl();
        this.accountSid = settings.sms().accountSid();
        this.authToken = settings.sms().authToken();
        this.from = settings.sms().from();
    }

    public boolean configured() {
        return accountSid.isPresent() && authToken.isPresent() && from.isPresent();
    }

    public Uni<SmsResult> send(String to, String body) {
        String path = "/2010-04-01/Accounts/" + accountSid.orElseThrow() + "/Messages.json";
        MultiMap form = MultiMap.caseInsensitiveMultiMap().add("To", to).add("From", from.orElseThrow())
                .add("Body", body);
        int port = baseUrl.getPort() > 0 ? baseUrl.getPort() : ("https".equals(baseUrl.getScheme()) ? 443 : 80);
        return client.post(port, baseUrl.getHost(), basePath() + path)
                .ssl("https".equals(baseUrl.getScheme()))
                .basicAuthentication(accountSid.orElseThrow(), authToken.orElseThrow())
                .timeout(Duration.ofSeconds(10).toMillis())
                .sendForm(form)
                .map(resp -> {
                    if (resp.statusCode() / 100 == 2) {
                        JsonObject json = resp.bodyAsJsonObject();
                        return new SmsResult(json == null ? null : json.getString("sid"), null, false, null);
                    }
                    return new SmsResult(null, "SMS provider answered " + resp.statusCode() + ": "
                            + truncate(resp.bodyAsString()), resp.statusCode() == 429 || resp.statusCode() >= 500,
                            "provider answered " + resp.statusCode());
                })
                .onFailure().recoverWithItem(e -> new SmsResult(null, "SMS provider unreachable: " + e.getMessage(),
                        true, "provider unreachable: " + e.getClass().getName()));
    }

    private String basePath() {
        String p = baseUrl.getPath();
        return p == null || p.equals("/") ? "" : p.replaceAll("/$", "");
    }

    private static String truncate(String s) {
        return s == null ? "" : s.substring(0, Math.min(300, s.length()));
    }
}
