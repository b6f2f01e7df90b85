package io.engageflow.orchestrator.persistence;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.orchestrator.domain.instance.InstanceState;
import io.engageflow.orchestrator.domain.instance.RunStatus;
import io.engageflow.orchestrator.domain.instance.StepState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON part of an instance row ({@code state_json}): the trigger and the steps in the order they started, and
 * what an admin's replay or test run adds (absent otherwise; rows written before them read as a plain run).
 */
public record StoredState(TriggerEvent trigger, List<StepState> steps,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String replayOf,
                          @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean test,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> forcePaths) {

    public static String encode(InstanceState s) {
        return JsonCodec.encode(new StoredState(s.trigger, List.copyOf(s.steps.values()), s.replayOf, s.test,
                s.forcePaths.isEmpty() ? null : s.forcePaths));
    }

    /** An instance from its row's columns and JSON. */
    public static InstanceState decode(String id, String workspaceId, String workflowId, int version, String contactId,
                                       String status, Instant startedAt, Instant endedAt, String stateJson) {
        StoredState stored = JsonCodec.read(stateJson, StoredState.class);
        InstanceState s = new InstanceState();
        s.id = id;
        s.workspaceId = workspaceId;
        s.workflowId = workflowId;
        s.version = version;
        s.contactId = contactId;
        s.status = RunStatus.of(status);
        s.startedAt = startedAt;
        s.endedAt = endedAt;
        s.trigger = stored.trigger();
        s.replayOf = stored.replayOf();
        s.test = stored.test();
        s.forcePaths = stored.forcePaths() == null ? Map.of() : stored.forcePaths();
        Map<String, StepState> steps = new LinkedHashMap<>();
        stored.steps().forEach(step -> steps.put(step.stepId, step));
        s.steps = steps;
        return s;
    }
}
