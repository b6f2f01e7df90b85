package io.engageflow.contact.actions;

import io.engageflow.contact.domain.ContactSnapshotMerger;
import io.engageflow.contact.domain.MergesContactSnapshot;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.expression.Conditions;
import io.engageflow.contracts.expression.Variables;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Success when the condition holds for the contact as this service knows it (snapshot merged with earlier updates),
 * Failure otherwise: ConditionNotMet when it does not hold, ConditionError when it cannot be evaluated. The condition
 * is evaluated on the contact as the merge wrote it: no read of its own.
 */
@ApplicationScoped
public class ContactFilterAction implements LocalAction, MergesContactSnapshot {
    private final ContactSnapshotMerger merger;

    public ContactFilterAction(ContactSnapshotMerger merger) {
        this.merger = merger;
    }

    @Override
    public String action() {
        return "ContactFilter";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        String condition = String.valueOf(command.config().get("condition"));
        return merger.merge(command, tx).map(contact -> {
            var vars = Variables.of(contact.snapshot(), command.trigger(), command.steps());
            return ActionOutcome.ofCondition(condition, Conditions.evaluate(condition, vars));
        });
    }
}
