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
 * (Bearer); setting {@code apiVersion} defaults to v60.0.
 */
@ApplicationScoped
public class SalesforceClient {
    private final ProviderHttp http;

    public SalesforceClient(ProviderHttp http) {
        this.http = http;
    }

    public Uni<ProviderResponse> create(String ws, AppCredentials app, String type, Map<String, Object> fields) {
        return http.call(ws, app.provider(), HttpMethod.POST, sobjects(app) + "/" + enc(type), auth(app),
                JsonCodec.encode(fields));
    }

    public Uni<ProviderResponse> update(String ws, AppCredentials app, String type, String id,
                                        Map<String, Object> fields) {
        return http.call(ws, app.provider(), HttpMethod.PATCH, sobjects(app) + "/" + enc(type) + "/" + enc(id),
                auth(app), JsonCodec.encode(fields));
    }

    public Uni<ProviderResponse> get(String ws, AppCredentials app, String type, String id) {
        return http.call(ws, app.provider(), HttpMethod.GET, sobjects(app) + "/" + enc(type) + "/" + enc(id),
                auth(app), null);
    }

    /** The first record matching a SOQL WHERE clause. */
    public Uni<ProviderResponse> query(String ws, AppCredentials app, String type, String where) {
        String soql = "SELECT FIELDS(ALL) FROM " + type + " WHERE " + where + " LIMIT 1";
        return http.call(ws, app.provider(), HttpMethod.GET, base(app) + "/query?q=" + enc(soql), auth(app), null);
    }

    private static String base(AppCredentials app) {
        String version = String.valueOf(app.settings().getOrDefault("apiVersion", "v60.0"));
        return app.baseUrl().replaceAll("/$", "") + "/services/data/" + version;
    }

    private static String sobjects(AppCredentials app) {
        return base(app) + "/sobjects";
    }

    private static Map<String, String> auth(AppCredentials app) {
        return Map.of("Authorization", "Bearer " + app.apiKey(), "Accept", "application/json");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
