package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.expression.Conditions;
import io.engageflow.contracts.expression.Variables;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Routes on the gameplay: a condition over the trigger's gameplay data, the contact and earlier steps. */
@ApplicationScoped
public class GameplayFilterAction implements ActionHandler {
    @Override
    public String action() {
        return "GameplayFilter";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        String condition = String.valueOf(command.config().get("condition"));
        var vars = Variables.of(command.contact(), command.trigger(), command.steps());
        return Uni.createFrom().item(ActionOutcome.ofCondition(condition, Conditions.evaluate(condition, vars)));
    }
}
