package io.engageflow.common.auth;

import io.engageflow.common.config.CommonSettings;
import io.engageflow.contracts.auth.ApiKeys;
import io.engageflow.common.api.ErrorMappers;
import io.engageflow.contracts.auth.Role;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.json.JsonString;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every REST endpoint of every service asks for {@code Authorization: Bearer <key>} (CONTRACT.md, "Authentication"):
 * no or an unknown key → 401, a key of another workspace → 404 (its workspace is none of the caller's business), a
 * role that may not → 403. The endpoint's {@link Allowed} role decides; without one only the operator key passes.
 * /q/health, /q/metrics and /q/openapi are not REST resources and stay open. Where an identity provider is set up
 * ({@code engageflow.auth.oidc.enabled}), a bearer that is not an API key is an OIDC token instead.
 */
public class AuthFilter {
    private static final Uni<Response> PASS = Uni.createFrom().nullItem();
    private final ApiKeyDirectory directory;
    private final OperatorKey operatorKey;
    private final KeyUses uses;
    private final CurrentIdentityAssociation identities;
    private final boolean oidc;
    private final String workspaceClaim;
    private final String roleClaim;

    public AuthFilter(ApiKeyDirectory directory, OperatorKey operatorKey, KeyUses uses,
                      CurrentIdentityAssociation identities,
                      CommonSettings settings) {
        this.directory = directory;
        this.operatorKey = operatorKey;
        this.uses = uses;
        this.identities = identities;
        this.oidc = settings.auth().oidc().enabled();
        this.workspaceClaim = settings.auth().oidc().workspaceClaim();
        this.roleClaim = settings.auth().oidc().roleClaim();
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
        String token = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            return Uni.createFrom().item(unauthorized("an API key is required: Authorization: Bearer <key>"));
        }
        byte[] digest = ApiKeys.digest(token);
        if (operatorKey.matches(digest)) {
            request.setProperty(Caller.PROPERTY, Caller.ofOperator());
            return PASS;
        }
        Allowed allowed = allowed(resource);
        String workspace = request.getUriInfo().getPathParameters().getFirst("ws");
        if (!ApiKeys.looksLikeKey(token)) {
            return oidc ? byToken(request, allowed, workspace)
                    : Uni.createFrom().item(unauthorized("unknown or revoked API key"));
        }
        return directory.find(ApiKeys.hex(digest))
                .map(grant -> {
                    if (grant == null) {
                        return unauthorized("unknown or revoked API key");
                    }
                    Response refused = refusal(grant.workspace(), grant.role(), allowed, workspace);
                    if (refused == null) {
                        uses.used(grant.id());
                        request.setProperty(Caller.PROPERTY, new Caller(grant.workspace(), grant.role(), grant.id(),
                                false));
                    }
                    return refused;
                })
                .onFailure(ApiKeyDirectory.KeysUnavailableException.class).recoverWithItem(e ->
                        ErrorMappers.body(503, "unavailable", e.getMessage(), List.of()));
    }

    /** A bearer token of the identity provider: Quarkus OIDC checks it; its claims name the workspace and role. */
    private Uni<Response> byToken(ContainerRequestContext request, Allowed allowed, String workspace) {
        return identities.getDeferredIdentity().map(identity -> {
            if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
                return unauthorized("the bearer token is not valid");
            }
            String tokenWorkspace = claim(jwt, workspaceClaim);
            Role role = Role.parse(claim(jwt, roleClaim)).orElse(null);
            if (tokenWorkspace == null || role == null) {
                return ErrorMappers.body(403, "forbidden", "the token names no workspace (" + workspaceClaim
                        + ") or no role (" + roleClaim + ": admin, publisher or reader)", List.of());
            }
            Response refused = refusal(tokenWorkspace, role, allowed, workspace);
            if (refused == null) {
                request.setProperty(Caller.PROPERTY, new Caller(tokenWorkspace, role, null, false));
            }
            return refused;
        }).onFailure(AuthenticationFailedException.class).recoverWithItem(e ->
                unauthorized("the bearer token is not valid"));
    }

    /** Why a caller of {@code callerWorkspace} and {@code role} may not call the endpoint, or null when it may. */
    private static Response refusal(String callerWorkspace, Role role, Allowed allowed, String workspace) {
        if (workspace != null && !workspace.equals(callerWorkspace)) {
            return ErrorMappers.body(404, "not_found", "workspace " + workspace + " not found", List.of());
        }
        if (allowed == null) {
            return ErrorMappers.body(403, "forbidden", "this endpoint needs the operator key", List.of());
        }
        Role needed = allowed.value();
        if (!role.permits(needed)) {
            return ErrorMappers.body(403, "forbidden", "a " + role.wireName() + " key may not do this; it needs a "
                    + needed.wireName() + " or admin key", List.of());
        }
        return null;
    }

    private static String claim(JsonWebToken jwt, String name) {
        Object value = jwt.getClaim(name);
        if (value instanceof JsonString s) {
            return s.getString();
        }
        return value instanceof String s ? s : null;
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
