package io.engageflow.orchestrator.api;

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
 * Issue 12: every endpoint of orchestrator-service asks for a key of its workspace and role (no key, an unknown key →
 * 401; another workspace's key → 404; a role that may not → 403). The workspace is fresh, so an endpoint about one
 * workflow or instance answers the permitted role 404 (there is none); the 401 and 403 answers come before that.
 * (The admin-run endpoints and the statistics have their matrix in AdminRunsFlowTest and WorkflowStatsTest.)
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_orchestrator_auth_test"))
class ApiAuthTest {
    private static final String DEFINITION = """
            {"name": "auth", "trigger": {"type": "Webhook.Received"},
             "steps": [{"id": "list", "action": "ContactAddToList", "config": {"list": "L"}}]}""";

    @Test
    void everyEndpointAsksForAKeyOfItsWorkspaceAndRole() {
        String workflows = "/api/workspaces/{ws}/workflows";
        String instances = "/api/workspaces/{ws}/instances";
        AuthMatrix.verify(List.of(
                post(workflows + "/validate", DEFINITION, Role.ADMIN, 200),
                post(workflows, DEFINITION, Role.ADMIN, 201),
                put(workflows + "/wf-none", DEFINITION, Role.ADMIN, 404),
                get(workflows, Role.READER, 200),
                get(workflows + "/wf-none", Role.READER, 404),
                get(workflows + "/wf-none/versions/1", Role.READER, 404),
                post(workflows + "/wf-none/activate", null, Role.ADMIN, 404),
                post(workflows + "/wf-none/deactivate", null, Role.ADMIN, 404),
                get(instances, Role.READER, 200),
                get(instances + "?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", Role.READER, 200),
                get(instances + "/counts?from=2026-01-01T00:00:00Z", Role.READER, 200),
                get("/api/whoami", Role.READER, 200),
                get(instances + "/i-none", Role.READER, 404),
                get(instances + "/i-none/ignored-results", Role.READER, 404),
                post(instances + "/i-none/cancel", null, Role.ADMIN, 404),
                get("/api/workspaces/{ws}/api-keys", Role.ADMIN, 200),
                post("/api/workspaces/{ws}/api-keys", "{\"name\": \"m\", \"role\": \"reader\"}", Role.ADMIN, 201),
                delete("/api/workspaces/{ws}/api-keys/key_none", Role.ADMIN, 404)));
    }
}
