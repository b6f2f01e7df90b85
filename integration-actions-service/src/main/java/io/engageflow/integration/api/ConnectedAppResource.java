package io.engageflow.integration.api;

import io.engageflow.common.api.ApiException;
import io.engageflow.common.auth.Allowed;
import io.engageflow.contracts.auth.Role;
import io.engageflow.contracts.catalog.ActionCatalog;
import io.engageflow.contracts.catalog.ActionSpec;
import io.engageflow.integration.domain.UrlGuard;
import io.engageflow.integration.persistence.ConnectedApp;
import io.engageflow.integration.persistence.ConnectedApps;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Connected apps per workspace. The API key and every other secret setting (ProviderSecrets) are write-only: a GET
 * names the secrets that are set ({@code secretsSet}) and never returns a value. A baseUrl must pass the
 * {@link UrlGuard}, as every call to it does again: an internal or metadata address, a port other than 80/443 or a
 * name that does not resolve is answered 400 with the reason, and nothing is saved.
 */
@Allowed(Role.ADMIN)
@Path("/api/workspaces/{ws}/connected-apps")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectedAppResource {
    private static final Set<String> PROVIDERS = ActionCatalog.all().stream().map(ActionSpec::provider)
            .filter(Objects::nonNull).collect(Collectors.toCollection(java.util.TreeSet::new));

    private final ConnectedApps apps;
    private final UrlGuard guard;
    private final Vertx vertx;

    public ConnectedAppResource(ConnectedApps apps, UrlGuard guard, Vertx vertx) {
        this.apps = apps;
        this.guard = guard;
        this.vertx = vertx;
    }

    @PUT
    @Path("/{provider}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> put(@PathParam("ws") String ws, @PathParam("provider") String provider,
                                        Map<String, Object> body) {
        checkProvider(provider);
        if (body == null || !(body.get("apiKey") instanceof String key) || key.isBlank()) {
            throw ApiException.badRequest("apiKey is required", List.of());
        }
        Object rawBaseUrl = body.get("baseUrl");
        if (rawBaseUrl != null && !(rawBaseUrl instanceof String)) {
            throw refused("baseUrl must be an http(s) URL");
        }
        String baseUrl = (String) rawBaseUrl;
        Map<String, Object> settings = new LinkedHashMap<>(body);
        settings.remove("apiKey");
        settings.remove("baseUrl");
        // the guard resolves the host: off the event loop, and before a transaction holds a connection
        Uni<Void> checked = baseUrl == null ? Uni.createFrom().voidItem()
                : vertx.executeBlocking(() -> refusal(baseUrl), false).map(refusal -> {
                    if (refusal != null) {
                        throw refused(refusal);
                    }
                    return null;
                });
        return checked.chain(() -> Panache.withTransaction(() -> apps.save(ws, provider, key, baseUrl, settings)))
                .map(apps::view);
    }

    /** Why the guard refuses a baseUrl, or null. A base URL has no query or fragment: paths are appended to it. */
    private String refusal(String baseUrl) {
        try {
            UrlGuard.Target target = guard.check(baseUrl);
            return target.uri().getRawQuery() != null || target.uri().getRawFragment() != null
                    ? "a baseUrl has no query or fragment" : null;
        } catch (UrlGuard.Refused e) {
            return e.getMessage();
        }
    }

    private static ApiException refused(String why) {
        return ApiException.badRequest("baseUrl is refused: " + why, List.of(Map.of("path", "baseUrl",
                "message", why)));
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
