package io.engageflow.contact.actions;

import io.engageflow.contact.persistence.ListMemberStore;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Adds the contact to a list; already a member is still Success. */
@ApplicationScoped
public class ContactAddToListAction implements LocalAction {
    private final ListMemberStore members;

    public ContactAddToListAction(ListMemberStore members) {
        this.members = members;
    }

    @Override
    public String action() {
        return "ContactAddToList";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        String list = String.valueOf(command.config().get("list"));
        return members.add(tx, command.workspaceId(), list, command.contact().id())
                .map(added -> ActionOutcome.success(Map.of("list", list, "added", added)));
    }
}
