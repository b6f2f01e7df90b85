package io.engageflow.orchestrator.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A workflow of a workspace: its status and latest version; the versions themselves are immutable rows. */
@Entity
@Table(name = "workflow")
public class WorkflowEntity extends PanacheEntityBase {
    public static final String DRAFT = "draft";
    public static final String ACTIVE = "active";
    /** Active, but new triggers start nothing (counted as skipped, reason paused); running instances go on. */
    public static final String PAUSED = "paused";
    public static final String INACTIVE = "inactive";

    /** workspace + "/" + id: ids are unique within a workspace. */
    @Id
    public String key;
    public String id;
    public String workspaceId;
    public String name;
    public String status;
    public int latestVersion;
    /** Canonical trigger type of the latest version (aliases resolved), for matching triggers. */
    public String triggerType;
    public Instant createdAt;
    public Instant updatedAt;

    public static String key(String workspaceId, String id) {
        return workspaceId + "/" + id;
    }
}
