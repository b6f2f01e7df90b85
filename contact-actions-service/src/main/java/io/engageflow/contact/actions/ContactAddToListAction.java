package io.engageflow.contact.actions;

import io.engageflow.contact.persistence.ListMemberStore;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.TriggerTypes;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.engageflow.runtime.events.PlatformEvents;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/** Adds the contact to a list; already a member is still Success. A new member fires Contact.ListAdded. */
@ApplicationScoped
public class ContactAddToListAction implements LocalAction, MergesContactSnapshot {
    private final ListMemberStore members;
    private final ContactSnapshotMerger merger;
    private final PlatformEvents events;

    public ContactAddToListAction(ListMemberStore members, ContactSnapshotMerger merger, PlatformEvents events) {
        this.members = members;
        this.merger = merger;
        this.events = events;
    }

    @Override
    public String action() {
        return "ContactAddToList";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        String list = String.valueOf(command.config().get("list"));
        // the merge the listener would make, here for the contact as written: the event carries it
        return merger.merge(command, tx).chain(contact -> members.add(tx, command.workspaceId(), list,
                        command.contact().id())
                .call(added -> added ? events.publish(tx, command, contact.snapshot(), List.of(new PlatformEvents.Event(
                        TriggerTypes.CONTACT_LIST_ADDED, list, Map.of("list", list))))
                        : Uni.createFrom().voidItem())
                .map(added -> ActionOutcome.success(Map.of("list", list, "added", added))));
    }
}
