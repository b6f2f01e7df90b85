package io.engageflow.orchestrator.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One immutable version of a workflow's definition (normalized JSON, generated step ids included). */
@Entity
@Table(name = "workflow_version")
public class WorkflowVersionEntity extends PanacheEntityBase {
    @Id
    public String id;
    public String workspaceId;
    public String workflowId;
    public int version;
    public String definitionJson;
    public Instant createdAt;

    public static String key(String workspaceId, String workflowId, int version) {
        return workspaceId + "/" + workflowId + ":" + version;
    }
}
