package io.engageflow.contact.actions;

import io.engageflow.contact.persistence.ContactEntity;
import io.engageflow.contact.persistence.ContactStore;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.runtime.actions.CommandListener;
import io.quarkus.arc.All;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Before any contact action, in the transaction that claims the command: the contact the command carries exists here
 * afterwards, its snapshot merged as of the trigger's time (never overwriting newer data). Actions that change the
 * contact themselves ({@link MergesContactSnapshot}) merge it in their own write instead.
 */
@ApplicationScoped
public class ContactSnapshotMerger implements CommandListener {
    private static final Consumer<ContactEntity> NO_CHANGE = c -> { };

    private final ContactStore contacts;
    private final Set<String> mergedByTheAction;

    public ContactSnapshotMerger(ContactStore contacts, @All List<MergesContactSnapshot> actions) {
        this.contacts = contacts;
        this.mergedByTheAction = actions.stream().flatMap(a -> a.actions().stream()).collect(Collectors.toSet());
    }

    @Override
    public Uni<Void> beforeAction(ActionCommand command, SqlConnection tx) {
        if (mergedByTheAction.contains(command.action())) {
            return Uni.createFrom().voidItem();
        }
        return merge(command, tx).replaceWithVoid();
    }

    /** Merges the command's snapshot into the stored contact in {@code tx}; the contact as written. */
    public Uni<ContactEntity> merge(ActionCommand command, SqlConnection tx) {
        return merge(command, tx, NO_CHANGE);
    }

    /**
     * Merges the command's snapshot into the stored contact, applies {@code change} (which may run twice, see
     * {@link ContactStore#merge}) and writes it in {@code tx}; the contact as written.
     */
    public Uni<ContactEntity> merge(ActionCommand command, SqlConnection tx, Consumer<ContactEntity> change) {
        return contacts.merge(tx, command.workspaceId(), command.contact(), asOf(command), change);
    }

    /**
     * As {@link #merge(ActionCommand, SqlConnection, Consumer)}; {@code change} also gets the contact as it was stored
     * before (null: new), to tell what the command really changed.
     */
    public Uni<ContactEntity> merge(ActionCommand command, SqlConnection tx,
                                    BiConsumer<ContactEntity, ContactEntity> change) {
        return contacts.merge(tx, command.workspaceId(), command.contact(), asOf(command), change);
    }

    /** The snapshot a command carries is as of its trigger's time. */
    private static Instant asOf(ActionCommand command) {
        return command.trigger() != null && command.trigger().occurredAt() != null
                ? command.trigger().occurredAt() : Instant.now();
    }
}
