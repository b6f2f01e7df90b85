package io.engageflow.runtime.actions;

import io.engageflow.contracts.ActionError;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.expression.Conditions;
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

    /**
     * A filter's outcome: Success when the condition holds; Failure with ConditionNotMet when it does not, or with
     * ConditionError when it could not be evaluated.
     */
    public static ActionOutcome ofCondition(String condition, Conditions.Outcome outcome) {
        if (outcome.failed()) {
            return failure(ErrorCodes.CONDITION_ERROR, outcome.error());
        }
        return outcome.holds() ? success(Map.of("condition", condition))
                : failure(ErrorCodes.CONDITION_NOT_MET, "condition does not hold: " + condition);
    }

    public static ActionOutcome failure(String code, String message, Map<String, Object> outputs) {
        return new ActionOutcome(OutputPaths.FAILURE, outputs, new ActionError(code, message));
    }
}
