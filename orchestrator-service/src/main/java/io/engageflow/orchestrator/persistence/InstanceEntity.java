package io.engageflow.orchestrator.persistence;

import io.engageflow.orchestrator.domain.instance.InstanceState;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A workflow instance row, as the admin API reads it (the engine reads and writes rows with plain SQL:
 * {@link InstanceStore}): queryable columns plus the trigger and step states as JSON.
 */
@Entity
@Table(name = "workflow_instance")
public class InstanceEntity extends PanacheEntityBase {
    @Id
    public String id;
    public String workspaceId;
    public String workflowId;
    public int version;
    public String contactId;
    public String triggerEventId;
    public String status;
    public Instant startedAt;
    public Instant endedAt;
    public Instant nextDueAt;
    public String stateJson;
    /** The instance this one replays, or null. */
    public String replayOf;
    /** A test run: listed only when asked for, never counted. */
    public boolean test;

    public InstanceState toState() {
        return StoredState.decode(id, workspaceId, workflowId, version, contactId, status, startedAt, endedAt,
                stateJson);
    }

}
