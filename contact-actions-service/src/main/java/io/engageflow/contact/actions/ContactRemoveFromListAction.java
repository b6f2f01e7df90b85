package io.engageflow.contact.actions;

import io.engageflow.contact.persistence.ListMemberStore;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Removes the contact from a list; not a member is still Success. */
@ApplicationScoped
public class ContactRemoveFromListAction implements LocalAction {
    private final ListMemberStore members;

    public ContactRemoveFromListAction(ListMemberStore members) {
        this.members = members;
    }

    @Override
    public String action() {
        return "ContactRemoveFromList";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        String list = String.valueOf(command.config().get("list"));
        return members.remove(tx, command.workspaceId(), list, command.contact().id())
                .map(removed -> ActionOutcome.success(Map.of("list", list, "removed", removed)));
    }
}
