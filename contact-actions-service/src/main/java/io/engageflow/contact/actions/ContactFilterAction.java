package io.engageflow.contact.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.expression.Conditions;
import io.engageflow.contracts.expression.Variables;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.ActionConfig.AsWritten;
import io.engageflow.runtime.actions.TypedLocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;

/**
 * Success when the condition holds for the contact as this service knows it (snapshot merged with earlier updates),
 * Failure otherwise: ConditionNotMet when it does not hold, ConditionError when it cannot be evaluated. The condition
 * is evaluated on the contact as the merge wrote it: no read of its own. The evaluation runs on a worker thread (a
 * condition may take milliseconds at its cost limit, see {@code Conditions}) and the poll goes on on its own context.
 */
@Singleton // a record: no client proxy, so not normal-scoped
public record ContactFilterAction(ContactSnapshotMerger merger, Vertx vertx)
        implements TypedLocalAction<ContactFilterAction.Config>, MergesContactSnapshot {
    /** The condition as rendered: its evaluator, not the config, says what is wrong with it (ConditionError). */
    record Config(@AsWritten String condition) {
    }

    @Override
    public String action() {
        return "ContactFilter";
    }

    @Override
    public Class<Config> configType(String action) {
        return Config.class;
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, Config config, SqlConnection tx) {
        String condition = config.condition();
        return merger.merge(command, tx).chain(contact -> vertx.executeBlocking(() -> {
            var vars = Variables.of(contact.snapshot(), command.trigger(), command.steps());
            return ActionOutcome.ofCondition(condition, Conditions.evaluate(condition, vars));
        }, false));
    }
}
