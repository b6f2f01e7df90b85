package io.engageflow.contact.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.expression.Conditions;
import io.engageflow.contracts.expression.Variables;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Success when the condition holds for the contact as this service knows it (snapshot merged with earlier updates),
 * Failure otherwise: ConditionNotMet when it does not hold, ConditionError when it cannot be evaluated. The condition
 * is evaluated on the contact as the merge wrote it: no read of its own. The evaluation runs on a worker thread (a
 * condition may take milliseconds at its cost limit, see {@code Conditions}) and the poll goes on on its own context.
 */
@ApplicationScoped
public class ContactFilterAction implements LocalAction, MergesContactSnapshot {
    private final ContactSnapshotMerger merger;
    private final Vertx vertx;

    public ContactFilterAction(ContactSnapshotMerger merger, Vertx vertx) {
        this.merger = merger;
        this.vertx = vertx;
    }

    @Override
    public String action() {
        return "ContactFilter";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        String condition = String.valueOf(command.config().get("condition"));
        return merger.merge(command, tx).chain(contact -> vertx.executeBlocking(() -> {
            var vars = Variables.of(contact.snapshot(), command.trigger(), command.steps());
            return ActionOutcome.ofCondition(condition, Conditions.evaluate(condition, vars));
        }, false));
    }
}
