package io.engageflow.contact.actions;

import io.engageflow.contact.persistence.ContactEntity;
import io.engageflow.contact.persistence.ContactStore;
import io.engageflow.contracts.ActionCommand;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * Where a message goes: the config's {@code to} (as decoded: blank is absent), else the stored contact's address (read
 * outside any transaction).
 */
@ApplicationScoped
public class Recipients {
    private final ContactStore contacts;
    private final Pool pool;

    public Recipients(ContactStore contacts, Pool pool) {
        this.contacts = contacts;
        this.pool = pool;
    }

    /** The recipient, or null when neither the config nor the contact has one. */
    public Uni<String> of(ActionCommand command, String to, Function<ContactEntity, String> address) {
        if (to != null) {
            return Uni.createFrom().item(to);
        }
        return contacts.find(pool, command.workspaceId(), command.contact().id())
                .map(contact -> contact == null ? null : address.apply(contact));
    }
}
