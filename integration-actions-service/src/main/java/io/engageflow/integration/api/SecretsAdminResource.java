package io.engageflow.integration.api;

import io.engageflow.integration.persistence.SecretReEncryption;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Operator commands on connected-app secrets, across workspaces: {@code POST /api/admin/secrets/re-encrypt} rewrites
 * every app's secrets with the current key and answers with the counts (README, "Secrets"). It returns no secret.
 */
@Path("/api/admin/secrets")
@Produces(MediaType.APPLICATION_JSON)
public class SecretsAdminResource {
    private final SecretReEncryption reEncryption;

    public SecretsAdminResource(SecretReEncryption reEncryption) {
        this.reEncryption = reEncryption;
    }

    @POST
    @Path("/re-encrypt")
    public Uni<SecretReEncryption.Report> reEncrypt() {
        return reEncryption.run();
    }
}
