package io.engageflow.orchestrator.persistence;

import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.orchestrator.domain.instance.InstanceState;
import io.engageflow.orchestrator.domain.instance.InstanceStatus;
import io.engageflow.orchestrator.domain.instance.StepState;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A workflow instance row: queryable columns plus the trigger and step states as JSON. */
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

    /** The JSON part of the row. */
    record StoredState(TriggerEvent trigger, List<StepState> steps) {
    }

    public InstanceState toState() {
        StoredState stored = JsonCodec.read(stateJson, StoredState.class);
        InstanceState s = new InstanceState();
        s.id = id;
        s.workspaceId = workspaceId;
        s.workflowId = workflowId;
        s.version = version;
        s.contactId = contactId;
        s.status = InstanceStatus.of(status);
        s.startedAt = startedAt;
        s.endedAt = endedAt;
        s.trigger = stored.trigger();
        Map<String, StepState> steps = new LinkedHashMap<>();
        stored.steps().forEach(step -> steps.put(step.stepId, step));
        s.steps = steps;
        return s;
    }

    public InstanceEntity apply(InstanceState s) {
        id = s.id;
        workspaceId = s.workspaceId;
        workflowId = s.workflowId;
        version = s.version;
        contactId = s.contactId;
        triggerEventId = s.trigger.eventId();
        status = s.status.json();
        startedAt = s.startedAt;
        endedAt = s.endedAt;
        nextDueAt = s.status.terminal() ? null : s.nextDueAt();
        stateJson = JsonCodec.encode(new StoredState(s.trigger, List.copyOf(s.steps.values())));
        return this;
    }

}
