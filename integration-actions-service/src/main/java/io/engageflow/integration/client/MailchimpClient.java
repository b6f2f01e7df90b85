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
 * the key's suffix ({@code …-us21}, which must look like one: it becomes part of the host) unless the app sets
 * baseUrl. The list id goes into the path as one encoded segment.
 */
@ApplicationScoped
public class MailchimpClient {
    private static final java.util.regex.Pattern DATA_CENTER = java.util.regex.Pattern.compile("[a-z]{1,8}[0-9]{1,4}");
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
        if (!DATA_CENTER.matcher(dc).matches()) { // it becomes part of the host name
            throw new InvalidConfigValue("the mailchimp API key does not end in a data center (-us21); set baseUrl");
        }
        return "https://" + dc + ".api.mailchimp.com/3.0";
    }

    private static String member(AppCredentials app, String listId, String email) {
        if (email == null || email.isBlank()) {
            throw new InvalidConfigValue("email is required");
        }
        return base(app) + "/lists/" + PathSegment.encode("listId", listId) + "/members/" + subscriberHash(email);
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
