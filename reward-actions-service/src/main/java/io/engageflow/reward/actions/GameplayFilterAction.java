package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.expression.Conditions;
import io.engageflow.contracts.expression.Variables;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Routes on the gameplay: a condition over the trigger's gameplay data, the contact and earlier steps. It reads
 * nothing from the database; as a local action its result is recorded with the poll's other commands.
 */
@ApplicationScoped
public class GameplayFilterAction implements LocalAction {
    @Override
    public String action() {
        return "GameplayFilter";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        String condition = String.valueOf(command.config().get("condition"));
        var vars = Variables.of(command.contact(), command.trigger(), command.steps());
        return Uni.createFrom().item(ActionOutcome.ofCondition(condition, Conditions.evaluate(condition, vars)));
    }
}
