package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.expression.Conditions;
import io.engageflow.contracts.expression.Variables;
import io.engageflow.runtime.actions.ActionConfig.AsWritten;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.TypedLocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Routes on the gameplay: a condition over the trigger's gameplay data, the contact and earlier steps. It reads
 * nothing from the database; as a local action its result is recorded with the poll's other commands. The evaluation
 * runs on a worker thread (a condition may take milliseconds at its cost limit, see {@code Conditions}) and the poll
 * goes on on its own context.
 */
@ApplicationScoped
public class GameplayFilterAction implements TypedLocalAction<GameplayFilterAction.Filter> {
    /** The condition as written: the evaluator, not the config, says what is wrong with it (ConditionError). */
    record Filter(@AsWritten String condition) {
    }

    private final Vertx vertx;

    public GameplayFilterAction(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public String action() {
        return "GameplayFilter";
    }

    @Override
    public Class<Filter> configType(String action) {
        return Filter.class;
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, Filter config, SqlConnection tx) {
        String condition = config.condition();
        return vertx.executeBlocking(() -> {
            var vars = Variables.of(command.contact(), command.trigger(), command.steps());
            return ActionOutcome.ofCondition(condition, Conditions.evaluate(condition, vars));
        }, false);
    }
}
