package io.engageflow.orchestrator.persistence;

import io.engageflow.orchestrator.domain.instance.InstanceState;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
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
    @Column(name = "workspace_id")
    public String workspaceId;
    @Column(name = "workflow_id")
    public String workflowId;
    public int version;
    @Column(name = "contact_id")
    public String contactId;
    @Column(name = "trigger_event_id")
    public String triggerEventId;
    public String status;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "ended_at")
    public Instant endedAt;
    @Column(name = "next_due_at")
    public Instant nextDueAt;
    @Column(name = "state_json")
    public String stateJson;
    /** The instance this one replays, or null. */
    @Column(name = "replay_of")
    public String replayOf;
    /** A test run: listed only when asked for, never counted. */
    public boolean test;

    public InstanceState toState() {
        return StoredState.decode(id, workspaceId, workflowId, version, contactId, status, startedAt, endedAt,
                stateJson);
    }

}
