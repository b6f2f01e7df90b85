package io.engageflow.contact.actions;

import io.engageflow.contact.domain.ContactSnapshotMerger;
import io.engageflow.contact.domain.MergesContactSnapshot;
import io.engageflow.contact.persistence.ContactEntity;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sets contact properties and adds or removes tags: merged with the command's snapshot and written in one go. An
 * update is the newest data the contact has.
 */
@ApplicationScoped
public class ContactUpdateAction implements LocalAction, MergesContactSnapshot {
    private final ContactSnapshotMerger merger;

    public ContactUpdateAction(ContactSnapshotMerger merger) {
        this.merger = merger;
    }

    @Override
    public String action() {
        return "ContactUpdate";
    }

    @Override
    @SuppressWarnings("unchecked")
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        Object props = command.config().get("properties");
        if (props != null && !(props instanceof Map<?, ?>)) {
            // the snapshot is merged all the same, as for every contact command
            return merger.merge(command, tx).replaceWith(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG,
                    "properties must be an object of name: value"));
        }
        List<String> add = ConfigValues.list(command.config(), "addTags");
        List<String> remove = ConfigValues.list(command.config(), "removeTags");
        return merger.merge(command, tx, contact -> update(contact, (Map<String, Object>) props, add, remove))
                .map(contact -> ActionOutcome.success(Map.of("tags", new ArrayList<>(contact.tags()))));
    }

    private static void update(ContactEntity contact, Map<String, Object> props, List<String> add,
                               List<String> remove) {
        if (props != null) {
            Map<String, Object> merged = contact.properties();
            merged.putAll(props);
            contact.properties(merged);
        }
        Set<String> tags = contact.tags();
        tags.addAll(add);
        tags.removeAll(remove);
        contact.tags(tags);
        contact.updatedAt = Instant.now();
        contact.dataAsOf = Instant.now();
    }
}
