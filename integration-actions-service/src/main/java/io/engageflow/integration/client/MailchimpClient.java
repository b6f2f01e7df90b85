package io.engageflow.integration.client;

import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.integration.domain.AppCredentials;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Mailchimp Marketing API 3.0. Members are addressed by the MD5 of the lower-cased email; auth is HTTP basic with
 * any user and the API key; the base URL is {@code https://<dc>.api.mailchimp.com/3.0}, the data center taken from
 * the key's suffix ({@code …-us21}) unless the app sets baseUrl.
 */
@ApplicationScoped
public class MailchimpClient {
    private final ProviderHttp http;

    public MailchimpClient(ProviderHttp http) {
        this.http = http;
    }

    /** PUT members/{hash}: add or update, subscribing a new address. */
    public Uni<ProviderResponse> upsert(String ws, AppCredentials app, String listId, String email,
                                        Map<String, Object> mergeFields) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("email_address", email);
        body.put("status_if_new", "subscribed");
        if (mergeFields != null && !mergeFields.isEmpty()) {
            body.put("merge_fields", mergeFields);
        }
        return call(ws, app, HttpMethod.PUT, member(app, listId, email), JsonCodec.encode(body));
    }

    /** POST members/{hash}/tags with each tag active (add) or inactive (remove). */
    public Uni<ProviderResponse> tags(String ws, AppCredentials app, String listId, String email, List<String> tags,
                                      boolean active) {
        List<Map<String, String>> list = tags.stream()
                .map(t -> Map.of("name", t, "status", active ? "active" : "inactive")).toList();
        return call(ws, app, HttpMethod.POST, member(app, listId, email) + "/tags",
                JsonCodec.encode(Map.of("tags", list)));
    }

    public Uni<ProviderResponse> unsubscribe(String ws, AppCredentials app, String listId, String email) {
        return call(ws, app, HttpMethod.PATCH, member(app, listId, email),
                JsonCodec.encode(Map.of("status", "unsubscribed")));
    }

    /** DELETE members/{hash} archives the member (Mailchimp keeps the history). */
    public Uni<ProviderResponse> archive(String ws, AppCredentials app, String listId, String email) {
        return call(ws, app, HttpMethod.DELETE, member(app, listId, email), null);
    }

    public Uni<ProviderResponse> deletePermanently(String ws, AppCredentials app, String listId, String email) {
        return call(ws, app, HttpMethod.POST, member(app, listId, email) + "/actions/delete-permanent", null);
    }

    private Uni<ProviderResponse> call(String ws, AppCredentials app, HttpMethod method, String url, String body) {
        String basic = Base64.getEncoder().encodeToString(("engageflow:" + app.apiKey())
                .getBytes(StandardCharsets.UTF_8));
        return http.call(ws, app.provider(), method, url, Map.of("Authorization", "Basic " + basic), body);
    }

    static String base(AppCredentials app) {
        if (app.baseUrl() != null && !app.baseUrl().isBlank()) {
            return app.baseUrl().replaceAll("/$", "");
        }
        String key = app.apiKey();
        String dc = key.contains("-") ? key.substring(key.lastIndexOf('-') + 1) : "us1";
        return "https://" + dc + ".api.mailchimp.com/3.0";
    }

    private static String member(AppCredentials app, String listId, String email) {
        return base(app) + "/lists/" + listId + "/members/" + subscriberHash(email);
    }

    public static String subscriberHash(String email) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(email.trim().toLowerCase(Locale.ROOT)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
