package io.engageflow.integration.api;

import io.engageflow.common.api.ApiException;
import io.engageflow.contracts.catalog.ActionCatalog;
import io.engageflow.contracts.catalog.ActionSpec;
import io.engageflow.integration.domain.ConnectedApps;
import io.engageflow.integration.persistence.ConnectedApp;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Connected apps per workspace. The API key and every other secret setting (ProviderSecrets) are write-only: a GET
 * names the secrets that are set ({@code secretsSet}) and never returns a value.
 */
@Path("/api/workspaces/{ws}/connected-apps")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectedAppResource {
    private static final Set<String> PROVIDERS = ActionCatalog.all().stream().map(ActionSpec::provider)
            .filter(Objects::nonNull).collect(Collectors.toCollection(java.util.TreeSet::new));

    private final ConnectedApps apps;

    public ConnectedAppResource(ConnectedApps apps) {
        this.apps = apps;
    }

    @PUT
    @Path("/{provider}")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    public Uni<Map<String, Object>> put(@PathParam("ws") String ws, @PathParam("provider") String provider,
                                        Map<String, Object> body) {
        checkProvider(provider);
        if (body == null || !(body.get("apiKey") instanceof String key) || key.isBlank()) {
            throw ApiException.badRequest("apiKey is required", List.of());
        }
        String baseUrl = body.get("baseUrl") == null ? null : String.valueOf(body.get("baseUrl"));
        if (baseUrl != null) {
            URI uri = URI.create(baseUrl);
            if (uri.getHost() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
                throw ApiException.badRequest("baseUrl must be an http(s) URL", List.of());
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>(body);
        settings.remove("apiKey");
        settings.remove("baseUrl");
        return apps.save(ws, provider, key, baseUrl, settings).map(apps::view);
    }

    @GET
    @WithSession
    public Uni<List<Map<String, Object>>> list(@PathParam("ws") String ws) {
        return ConnectedApp.<ConnectedApp>list("workspaceId = ?1 order by provider", ws)
                .map(rows -> rows.stream().map(apps::view).toList());
    }

    @GET
    @Path("/{provider}")
    @WithSession
    public Uni<Map<String, Object>> get(@PathParam("ws") String ws, @PathParam("provider") String provider) {
        return ConnectedApp.<ConnectedApp>findById(ConnectedApp.key(ws, provider)).map(app -> {
            if (app == null) {
                throw ApiException.notFound("connected app " + provider);
            }
            return apps.view(app);
        });
    }

    @DELETE
    @Path("/{provider}")
    @WithTransaction
    public Uni<Map<String, Object>> delete(@PathParam("ws") String ws, @PathParam("provider") String provider) {
        return ConnectedApp.deleteById(ConnectedApp.key(ws, provider)).map(deleted -> {
            if (!deleted) {
                throw ApiException.notFound("connected app " + provider);
            }
            return Map.of("provider", provider, "deleted", true);
        });
    }

    private static void checkProvider(String provider) {
        if (!PROVIDERS.contains(provider)) {
            throw ApiException.badRequest("unknown provider " + provider + "; known: " + PROVIDERS, List.of());
        }
    }
}
