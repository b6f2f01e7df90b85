package io.engageflow.contact.actions;

import io.engageflow.contact.persistence.ListMember;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Removes the contact from a list; not a member is still Success. */
@ApplicationScoped
public class ContactRemoveFromListAction implements ActionHandler {
    @Override
    public String action() {
        return "ContactRemoveFromList";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        String list = String.valueOf(command.config().get("list"));
        return ListMember.deleteById(ListMember.key(command.workspaceId(), list, command.contact().id()))
                .map(removed -> ActionOutcome.success(Map.of("list", list, "removed", removed)));
    }
}
