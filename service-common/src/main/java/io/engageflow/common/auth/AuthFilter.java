package io.engageflow.common.auth;

import io.engageflow.common.api.ErrorMappers;
import io.engageflow.contracts.auth.ApiKeyGrant;
import io.engageflow.contracts.auth.Role;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every REST endpoint of every service asks for {@code Authorization: Bearer <key>} (CONTRACT.md, "Authentication"):
 * no or an unknown key → 401, a key of another workspace → 404 (its workspace is none of the caller's business), a
 * role that may not → 403. The endpoint's {@link Allowed} role decides; without one only the operator key passes.
 * /q/health, /q/metrics and /q/openapi are not REST resources and stay open.
 */
public class AuthFilter {
    private static final Uni<Response> PASS = Uni.createFrom().nullItem();
    private final ApiKeyDirectory directory;
    private final OperatorKey operatorKey;
    private final KeyUses uses;

    public AuthFilter(ApiKeyDirectory directory, OperatorKey operatorKey, KeyUses uses) {
        this.directory = directory;
        this.operatorKey = operatorKey;
        this.uses = uses;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
        String token = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            return Uni.createFrom().item(unauthorized("an API key is required: Authorization: Bearer <key>"));
        }
        if (operatorKey.matches(token)) {
            request.setProperty(Caller.PROPERTY, Caller.ofOperator());
            return PASS;
        }
        if (!ApiKeys.looksLikeKey(token)) {
            return Uni.createFrom().item(unauthorized("unknown or revoked API key"));
        }
        Allowed allowed = allowed(resource);
        String workspace = request.getUriInfo().getPathParameters().getFirst("ws");
        return directory.find(ApiKeys.hash(token))
                .map(grant -> decide(request, grant, allowed, workspace))
                .onFailure(ApiKeyDirectory.KeysUnavailableException.class).recoverWithItem(e ->
                        ErrorMappers.body(503, "unavailable", e.getMessage(), List.of()));
    }

    private Response decide(ContainerRequestContext request, ApiKeyGrant grant, Allowed allowed, String workspace) {
        if (grant == null) {
            return unauthorized("unknown or revoked API key");
        }
        if (workspace != null && !workspace.equals(grant.workspace())) {
            return ErrorMappers.body(404, "not_found", "workspace " + workspace + " not found", List.of());
        }
        if (allowed == null) {
            return ErrorMappers.body(403, "forbidden", "this endpoint needs the operator key", List.of());
        }
        Role needed = allowed.value();
        if (!grant.role().permits(needed)) {
            return ErrorMappers.body(403, "forbidden", "a " + grant.role().wireName() + " key may not do this; it needs a "
                    + needed.wireName() + " or admin key", List.of());
        }
        uses.used(grant.id());
        request.setProperty(Caller.PROPERTY, new Caller(grant.workspace(), grant.role(), grant.id(), false));
        return null;
    }

    private static Allowed allowed(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return null;
        }
        Allowed onMethod = method.getAnnotation(Allowed.class);
        return onMethod != null ? onMethod : resource.getResourceClass().getAnnotation(Allowed.class);
    }

    private static String bearer(String header) {
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    private static Response unauthorized(String message) {
        return Response.fromResponse(ErrorMappers.body(401, "unauthorized", message, List.of()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
