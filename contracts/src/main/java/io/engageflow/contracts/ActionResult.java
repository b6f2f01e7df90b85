package io.engageflow.contracts;

import java.time.Instant;
import java.util.Map;

/** Action service → orchestrator: the output path the action took and its outputs. */
public record ActionResult(String commandId, String instanceId, String stepId, String action, String path,
                           Map<String, Object> outputs, ActionError error, Instant completedAt) {
    public ActionResult {
        outputs = outputs == null ? Map.of() : outputs;
    }
}
