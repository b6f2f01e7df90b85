package io.engageflow.orchestrator.api;

import io.engageflow.common.api.ApiException;
import io.engageflow.common.auth.Allowed;
import io.engageflow.contracts.auth.ApiKeys;
import io.engageflow.contracts.auth.Role;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.orchestrator.auth.ApiKeyPublisher;
import io.engageflow.orchestrator.persistence.ApiKeyStore;
import io.engageflow.orchestrator.persistence.ApiKeyStore.StoredKey;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * A workspace's API keys (CONTRACT.md, "Authentication"): created by its admins or the operator, the key shown once,
 * listed without it, revoked at once. Every service learns of a change through {@link ApiKeyPublisher}.
 */
@Allowed(Role.ADMIN)
@Path("/api/workspaces/{ws}/api-keys")
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {
    private static final Logger LOG = Logger.getLogger(ApiKeyResource.class);
    private final ApiKeyStore store;
    private final ApiKeyPublisher publisher;

    public record NewKey(String name, String role) {
    }

    public ApiKeyResource(ApiKeyStore store, ApiKeyPublisher publisher) {
        this.store = store;
        this.publisher = publisher;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@PathParam("ws") String ws, String json) {
        Decoded<NewKey> request = JsonCodec.decode(json, NewKey.class);
        if (!request.isOk()) {
            throw new ApiException(400, "malformed_json", "request body is not a key request: " + String.join("; ", request.errors()),
                    List.of());
        }
        NewKey body = request.value();
        List<Map<String, String>> errors = new ArrayList<>();
        String name = body == null || body.name() == null ? "" : body.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            errors.add(Map.of("path", "name", "message", "a name of 1-100 characters is required"));
        }
        Role role = body == null ? null : Role.parse(body.role()).orElse(null);
        if (role == null) {
            errors.add(Map.of("path", "role", "message", "role is one of admin, publisher, reader"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid("invalid_api_key", "the key request is not valid", errors);
        }
        String key = ApiKeys.newKey();
        StoredKey stored = new StoredKey(ApiKeys.newId(), ws, name, role, ApiKeys.hash(key),
                Instant.now().truncatedTo(ChronoUnit.MICROS), null, null);
        return store.insert(stored)
                .chain(() -> publisher.publish(List.of(stored)).onFailure().call(e -> revokeUnpublished(stored)))
                .onFailure(e -> !(e instanceof ApiException)).transform(e -> new ApiException(503, "unavailable",
                        "the key could not be handed to the services; nothing was created, try again", List.of()))
                .map(ignored -> {
                    LOG.infof("API key %s (%s) created in workspace %s", stored.id(), role.wireName(), ws);
                    Map<String, Object> created = view(stored);
                    created.put("key", key);
                    return Response.status(201).entity(created).build();
                });
    }

    @GET
    public Uni<List<Map<String, Object>>> list(@PathParam("ws") String ws) {
        return store.live(ws).map(keys -> keys.stream().map(ApiKeyResource::view).toList());
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> revoke(@PathParam("ws") String ws, @PathParam("id") String id) {
        return store.revoke(ws, id).chain(revoked -> {
            if (revoked == null) {
                throw ApiException.notFound("API key " + id);
            }
            LOG.infof("API key %s revoked in workspace %s", id, ws);
            // revoked in the database and in this process already; if the topic can't take it now, the next start
            // republishes it, but say so: the other services still accept the key until then
            return publisher.publish(List.of(revoked)).replaceWith(Response.noContent().build())
                    .onFailure().transform(e -> new ApiException(503, "unavailable", "the key is revoked on the "
                            + "orchestrator but could not be handed to the other services yet; DELETE again", List.of()));
        });
    }

    private Uni<Void> revokeUnpublished(StoredKey stored) {
        return store.revoke(stored.workspace(), stored.id()).replaceWithVoid().onFailure().recoverWithNull();
    }

    private static Map<String, Object> view(StoredKey k) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", k.id());
        view.put("name", k.name());
        view.put("role", k.role().wireName());
        view.put("workspace", k.workspace());
        view.put("createdAt", k.createdAt());
        view.put("lastUsedAt", k.lastUsedAt());
        return view;
    }
}
