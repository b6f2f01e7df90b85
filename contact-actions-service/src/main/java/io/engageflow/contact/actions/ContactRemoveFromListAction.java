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

/** Removes the contact from a list; not a member is still Success. A member removed fires Contact.ListRemoved. */
@ApplicationScoped
public class ContactRemoveFromListAction implements LocalAction, MergesContactSnapshot {
    private final ListMemberStore members;
    private final ContactSnapshotMerger merger;
    private final PlatformEvents events;

    public ContactRemoveFromListAction(ListMemberStore members, ContactSnapshotMerger merger, PlatformEvents events) {
        this.members = members;
        this.merger = merger;
        this.events = events;
    }

    @Override
    public String action() {
        return "ContactRemoveFromList";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        String list = String.valueOf(command.config().get("list"));
        return merger.merge(command, tx).chain(contact -> members.remove(tx, command.workspaceId(), list,
                        command.contact().id())
                .call(removed -> removed ? events.publish(tx, command, contact.snapshot(), List.of(
                        new PlatformEvents.Event(TriggerTypes.CONTACT_LIST_REMOVED, list, Map.of("list", list))))
                        : Uni.createFrom().voidItem())
                .map(removed -> ActionOutcome.success(Map.of("list", list, "removed", removed))));
    }
}
