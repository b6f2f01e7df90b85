package io.engageflow.integration;

import static io.engageflow.testsupport.AuthMatrix.Call.delete;
import static io.engageflow.testsupport.AuthMatrix.Call.get;
import static io.engageflow.testsupport.AuthMatrix.Call.post;
import static io.engageflow.testsupport.AuthMatrix.Call.put;

import io.engageflow.contracts.auth.Role;
import io.engageflow.testsupport.AuthMatrix;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: every endpoint of integration-actions-service asks for a key of its workspace and role (no key, an unknown key → 401;
 * another workspace's key → 404; a role that may not → 403), learning of keys from the topic the orchestrator
 * publishes them on: a key granted a moment before works at once, a revoked one stops.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_integration_test"))
class ApiAuthTest {
    @Test
    void everyEndpointAsksForAKeyOfItsWorkspaceAndRole() {
        AuthMatrix.verify(List.of(
                put("/api/workspaces/{ws}/connected-apps/braze", "{\"apiKey\": \"k-1\"}", Role.ADMIN, 200),
                get("/api/workspaces/{ws}/connected-apps", Role.ADMIN, 200),
                get("/api/workspaces/{ws}/connected-apps/braze", Role.ADMIN, 200),
                delete("/api/workspaces/{ws}/connected-apps/braze", Role.ADMIN, 200),
                // re-encrypting every workspace's secrets is the operator's alone
                post("/api/admin/secrets/re-encrypt", null, null, 200)));
    }

    @Test
    void aRevokedKeyStopsWorking() {
        AuthMatrix.verifyRevocation(get("/api/workspaces/{ws}/connected-apps", Role.ADMIN, 200));
    }
}
