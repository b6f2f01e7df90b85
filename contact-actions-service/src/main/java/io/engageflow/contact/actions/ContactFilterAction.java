package io.engageflow.contact.actions;

import io.engageflow.contact.persistence.ContactEntity;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.expression.Conditions;
import io.engageflow.contracts.expression.Variables;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Success when the condition holds for the contact as this service knows it (snapshot merged with earlier updates),
 * Failure otherwise: ConditionNotMet when it does not hold, ConditionError when it cannot be evaluated.
 */
@ApplicationScoped
public class ContactFilterAction implements ActionHandler {
    @Override
    public String action() {
        return "ContactFilter";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        String condition = String.valueOf(command.config().get("condition"));
        return ContactEntity.<ContactEntity>findById(ContactEntity.key(command.workspaceId(), command.contact().id()))
                .map(contact -> {
                    var vars = Variables.of(contact.snapshot(), command.trigger(), command.steps());
                    return ActionOutcome.ofCondition(condition, Conditions.evaluate(condition, vars));
                });
    }
}
