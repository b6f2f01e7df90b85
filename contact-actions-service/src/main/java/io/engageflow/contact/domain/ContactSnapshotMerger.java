package io.engageflow.contact.domain;

import io.engageflow.contact.persistence.ContactEntity;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.runtime.actions.CommandListener;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Before any contact action: the contact a command carries exists here afterwards, its snapshot merged as of the
 * trigger's time (never overwriting newer data).
 */
@ApplicationScoped
public class ContactSnapshotMerger implements CommandListener {
    @Override
    public Uni<Void> beforeAction(ActionCommand command) {
        Instant asOf = command.trigger() != null && command.trigger().occurredAt() != null
                ? command.trigger().occurredAt() : Instant.now();
        return ContactEntity.findForUpdate(command.workspaceId(), command.contact().id()).chain(existing -> {
            ContactEntity c = existing != null ? existing
                    : ContactEntity.create(command.workspaceId(), command.contact().id(), asOf);
            c.merge(command.contact(), asOf);
            return existing != null ? Uni.createFrom().voidItem() : c.persist().replaceWithVoid();
        });
    }
}
