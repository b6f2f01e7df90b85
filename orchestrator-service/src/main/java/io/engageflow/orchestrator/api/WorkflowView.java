package io.engageflow.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A workflow as the admin API shows it: the row and one version's normalized definition. */
public record WorkflowView(String id, String workspaceId, String name, String status, int version, int latestVersion,
                           String triggerType, Instant createdAt, Instant updatedAt, JsonNode definition) {
}
