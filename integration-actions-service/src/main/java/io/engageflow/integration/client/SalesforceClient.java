package io.engageflow.integration.client;

import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.integration.domain.AppCredentials;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Salesforce REST API: {@code /services/data/vXX.X/sobjects/{type}} create (201 {"id"}), PATCH update (204),
 * GET by id, SOQL {@code /query?q=}. The app's baseUrl is the org's instance URL; apiKey is an OAuth access token
 * (Bearer); setting {@code apiVersion} defaults to v60.0. Values from a step's config go into a path as one encoded
 * segment ({@link PathSegment}) and into SOQL as escaped literals ({@link Soql}).
 */
@ApplicationScoped
public class SalesforceClient {
    private final ProviderHttp http;

    public SalesforceClient(ProviderHttp http) {
        this.http = http;
    }

    public Uni<ProviderResponse> create(String ws, AppCredentials app, String type, Map<String, Object> fields) {
        return http.call(ws, app.provider(), HttpMethod.POST, sobject(app, type), auth(app), JsonCodec.encode(fields));
    }

    public Uni<ProviderResponse> update(String ws, AppCredentials app, String type, String id,
                                        Map<String, Object> fields) {
        return http.call(ws, app.provider(), HttpMethod.PATCH, sobject(app, type) + "/"
                + PathSegment.encode("objectId", id), auth(app), JsonCodec.encode(fields));
    }

    public Uni<ProviderResponse> get(String ws, AppCredentials app, String type, String id) {
        return http.call(ws, app.provider(), HttpMethod.GET, sobject(app, type) + "/"
                + PathSegment.encode("objectId", id), auth(app), null);
    }

    /**
     * The first record matching {@code where}: a map of field to value (each value a SOQL literal, escaped, see
     * {@link Soql}), or a WHERE clause as text, sent as written (a template value inside it is query text).
     */
    public Uni<ProviderResponse> query(String ws, AppCredentials app, String type, Object where) {
        String clause = where instanceof Map<?, ?> match ? Soql.where(match) : String.valueOf(where);
        String soql = "SELECT FIELDS(ALL) FROM " + Soql.objectName(type) + " WHERE " + clause + " LIMIT 1";
        return http.call(ws, app.provider(), HttpMethod.GET, base(app) + "/query?q="
                + URLEncoder.encode(soql, StandardCharsets.UTF_8).replace("+", "%20"), auth(app), null);
    }

    private static String base(AppCredentials app) {
        if (app.baseUrl() == null || app.baseUrl().isBlank()) {
            throw new InvalidConfigValue("the salesforce app has no baseUrl (the org's instance URL)");
        }
        String version = String.valueOf(app.settings().getOrDefault("apiVersion", "v60.0"));
        return app.baseUrl().replaceAll("/$", "") + "/services/data/" + PathSegment.encode("apiVersion", version);
    }

    /** The sObject resource of a type; the type must be an API name, as it also goes into SOQL. */
    private static String sobject(AppCredentials app, String type) {
        return base(app) + "/sobjects/" + Soql.objectName(type);
    }

    private static Map<String, String> auth(AppCredentials app) {
        return Map.of("Authorization", "Bearer " + app.apiKey(), "Accept", "application/json");
    }
}
