package io.engageflow.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * Orchestrator → action service. {@code commandId} is the idempotency key: the same commandId twice does the effect
 * once and answers with the first result. {@code config} has its templates resolved. {@code steps} carries the
 * outputs of earlier steps so that conditions evaluated in an action service can see them. {@code test} marks a
 * command of a test run (CONTRACT.md, "Runs an admin can act on"): the action service evaluates what it can
 * without outside effects and reports what it would have done; absent on the wire when false.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionCommand(String commandId, String instanceId, String stepId, int attempt, String workspaceId,
                            String action, Map<String, Object> config, ContactSnapshot contact, TriggerEvent trigger,
                            Instant deadline, Map<String, Map<String, Object>> steps,
                            @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean test) {
    public ActionCommand {
        config = config == null ? Map.of() : config;
        steps = steps == null ? Map.of() : steps;
    }

    /** A command of a real run. */
    public ActionCommand(String commandId, String instanceId, String stepId, int attempt, String workspaceId,
                         String action, Map<String, Object> config, ContactSnapshot contact, TriggerEvent trigger,
                         Instant deadline, Map<String, Map<String, Object>> steps) {
        this(commandId, instanceId, stepId, attempt, workspaceId, action, config, contact, trigger, deadline, steps,
                false);
    }
}
