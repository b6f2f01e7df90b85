package io.engageflow.contact.actions;

import io.engageflow.contact.persistence.ListMember;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/** Adds the contact to a list; already a member is still Success. */
@ApplicationScoped
public class ContactAddToListAction implements ActionHandler {
    @Override
    public String action() {
        return "ContactAddToList";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        String list = String.valueOf(command.config().get("list"));
        String key = ListMember.key(command.workspaceId(), list, command.contact().id());
        return ListMember.<ListMember>findById(key).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(ActionOutcome.success(Map.of("list", list, "added", false)));
            }
            ListMember m = new ListMember();
            m.key = key;
            m.workspaceId = command.workspaceId();
            m.listName = list;
            m.contactId = command.contact().id();
            m.addedAt = Instant.now();
            return m.persist().replaceWith(ActionOutcome.success(Map.of("list", list, "added", true)));
        });
    }
}
