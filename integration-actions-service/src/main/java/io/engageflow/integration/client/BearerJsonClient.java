package io.engageflow.integration.client;

import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.integration.domain.AppCredentials;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * JSON POSTs with a Bearer API key, as Braze (REST endpoint of the instance, e.g. {@code /users/track}), LocalCard and
 * Thuzi take them. Each provider's paths and bodies are built by its action.
 */
@ApplicationScoped
public class BearerJsonClient {
    private final ProviderHttp http;

    public BearerJsonClient(ProviderHttp http) {
        this.http = http;
    }

    public Uni<ProviderResponse> post(String ws, AppCredentials app, String defaultBaseUrl, String path,
                                      Map<String, Object> body) {
        String base = app.baseUrl() != null && !app.baseUrl().isBlank() ? app.baseUrl() : defaultBaseUrl;
        return http.call(ws, app.provider(), HttpMethod.POST, base.replaceAll("/$", "") + path,
                Map.of("Authorization", "Bearer " + app.apiKey(), "Accept", "application/json"),
                JsonCodec.encode(body));
    }
}
