package io.engageflow.orchestrator.console;

import io.engageflow.common.auth.Allowed;
import io.engageflow.common.auth.Caller;
import io.engageflow.contracts.auth.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who a key is: its workspace and role (the console signs in with a pasted key and has to know both). A reader or an
 * admin key may ask (a publisher key has nothing to see in the console); the operator key has no workspace
 * ({@code "workspace": null, "operator": true}).
 */
@Path("/api/whoami")
@Produces(MediaType.APPLICATION_JSON)
public class WhoAmIResource {

    @Allowed(Role.READER)
    @GET
    public Map<String, Object> whoami(@Context ContainerRequestContext request) {
        Caller caller = (Caller) request.getProperty(Caller.PROPERTY);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("workspace", caller.workspace());
        answer.put("role", caller.role().wireName());
        answer.put("operator", caller.operator());
        return answer;
    }
}
