package io.engageflow.contact.actions;

import io.engageflow.contact.persistence.ListMemberStore;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.TriggerTypes;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.engageflow.runtime.events.PlatformEvents;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * ContactAddToList and ContactRemoveFromList: the contact joins or leaves a list. Success either way (already a
 * member, or not one, included); a real change fires Contact.ListAdded or Contact.ListRemoved.
 */
public record ContactListAction(Variant variant, ListMemberStore members, ContactSnapshotMerger merger,
                                PlatformEvents events) implements LocalAction, MergesContactSnapshot {
    /** The membership change a variant makes: true when it changed something. */
    interface Change {
        Uni<Boolean> apply(ListMemberStore members, SqlClient tx, String workspaceId, String list, String contactId);
    }

    /** The catalog actions this handler serves: the change, the event of a real change, the output naming it. */
    enum Variant {
        ADD("ContactAddToList", ListMemberStore::add, TriggerTypes.CONTACT_LIST_ADDED, "added"),
        REMOVE("ContactRemoveFromList", ListMemberStore::remove, TriggerTypes.CONTACT_LIST_REMOVED, "removed");

        final String action;
        final Change change;
        final String event;
        final String output;

        Variant(String action, Change change, String event, String output) {
            this.action = action;
            this.change = change;
            this.event = event;
            this.output = output;
        }
    }

    /** The config both take. */
    record Config(String list) {
        static Config of(ActionCommand command) {
            return new Config(String.valueOf(command.config().get("list")));
        }
    }

    /** One handler bean per variant: the registry takes one for each catalog action. */
    @Dependent
    static class Variants {
        @Produces
        @Singleton
        ContactListAction add(ListMemberStore members, ContactSnapshotMerger merger, PlatformEvents events) {
            return new ContactListAction(Variant.ADD, members, merger, events);
        }

        @Produces
        @Singleton
        ContactListAction remove(ListMemberStore members, ContactSnapshotMerger merger, PlatformEvents events) {
            return new ContactListAction(Variant.REMOVE, members, merger, events);
        }
    }

    @Override
    public String action() {
        return variant.action;
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        String list = Config.of(command).list();
        // the merge the listener would make, here for the contact as written: the event carries it
        return merger.merge(command, tx).chain(contact -> variant.change.apply(members, tx, command.workspaceId(),
                        list, command.contact().id())
                .call(changed -> changed ? events.publish(tx, command, contact.snapshot(), List.of(
                        new PlatformEvents.Event(variant.event, list, Map.of("list", list))))
                        : Uni.createFrom().voidItem())
                .map(changed -> ActionOutcome.success(Map.of("list", list, variant.output, changed))));
    }
}
