package io.engageflow.runtime.actions;

import io.engageflow.contracts.ActionError;
import io.engageflow.contracts.catalog.OutputPaths;
import java.util.Map;

/** The output path an action took, its output variables, and for Failure the error. */
public record ActionOutcome(String path, Map<String, Object> outputs, ActionError error) {
    public ActionOutcome {
        outputs = outputs == null ? Map.of() : outputs;
    }

    public static ActionOutcome success(Map<String, Object> outputs) {
        return new ActionOutcome(OutputPaths.SUCCESS, outputs, null);
    }

    public static ActionOutcome success() {
        return success(Map.of());
    }

    public static ActionOutcome path(String path, Map<String, Object> outputs) {
        return new ActionOutcome(path, outputs, null);
    }

    public static ActionOutcome failure(String code, String message) {
        return new ActionOutcome(OutputPaths.FAILURE, Map.of(), new ActionError(code, message));
    }

    public static ActionOutcome failure(String code, String message, Map<String, Object> outputs) {
        return new ActionOutcome(OutputPaths.FAILURE, outputs, new ActionError(code, message));
    }
}
