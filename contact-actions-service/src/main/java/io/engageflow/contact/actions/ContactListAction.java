package io.engageflow.contact.actions;

import io.engageflow.contact.persistence.ListMemberStore;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.TriggerTypes;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.ActionConfig.AsWritten;
import io.engageflow.runtime.actions.TypedLocalAction;
import io.engageflow.runtime.actions.Variants;
import io.engageflow.runtime.events.PlatformEvents;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ContactAddToList and ContactRemoveFromList: the contact joins or leaves a list. Success either way (already a
 * member, or not one, included); a real change fires Contact.ListAdded or Contact.ListRemoved.
 */
@Singleton // a record: no client proxy, so not normal-scoped
public record ContactListAction(ListMemberStore members, ContactSnapshotMerger merger, PlatformEvents events)
        implements TypedLocalAction<ContactListAction.Config>, MergesContactSnapshot {
    /** The membership change a variant makes: true when it changed something. */
    interface Change {
        Uni<Boolean> apply(ListMemberStore members, SqlClient tx, String workspaceId, String list, String contactId);
    }

    /** A catalog action this handler serves: the change, the event of a real change, the output naming it. */
    record Variant(String action, Change change, String event, String output) {
    }

    private static final Map<String, Variant> VARIANTS = Variants.byAction(Variant::action,
            new Variant("ContactAddToList", ListMemberStore::add, TriggerTypes.CONTACT_LIST_ADDED, "added"),
            new Variant("ContactRemoveFromList", ListMemberStore::remove, TriggerTypes.CONTACT_LIST_REMOVED,
                    "removed"));

    /** The config both take: the list's name as rendered, as it always was read (absent is "null"). */
    record Config(@AsWritten String list) {
    }

    @Override
    public Set<String> actions() {
        return VARIANTS.keySet();
    }

    @Override
    public Class<Config> configType(String action) {
        return Config.class;
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, Config config, SqlConnection tx) {
        Variant variant = VARIANTS.get(command.action());
        String list = config.list();
        // the merge the listener would make, here for the contact as written: the event carries it
        return merger.merge(command, tx).chain(contact -> variant.change().apply(members, tx, command.workspaceId(),
                        list, command.contact().id())
                .call(changed -> changed ? events.publish(tx, command, contact.snapshot(), List.of(
                        new PlatformEvents.Event(variant.event(), list, Map.of("list", list))))
                        : Uni.createFrom().voidItem())
                .map(changed -> ActionOutcome.success(Map.of("list", list, variant.output(), changed))));
    }
}
