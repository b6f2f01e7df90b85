package io.engageflow.contact.actions;

import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.contact.persistence.ContactEntity;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** Sets contact properties and adds or removes tags. */
@ApplicationScoped
public class ContactUpdateAction implements ActionHandler {
    @Override
    public String action() {
        return "ContactUpdate";
    }

    @Override
    @SuppressWarnings("unchecked")
    public Uni<ActionOutcome> execute(ActionCommand command) {
        Object props = command.config().get("properties");
        if (props != null && !(props instanceof Map<?, ?>)) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG,
                    "properties must be an object of name: value"));
        }
        return ContactEntity.findForUpdate(command.workspaceId(), command.contact().id()).map(contact -> {
            if (props != null) {
                Map<String, Object> merged = contact.properties();
                merged.putAll((Map<String, Object>) props);
                contact.properties(merged);
            }
            Set<String> tags = contact.tags();
            tags.addAll(ConfigValues.list(command.config(), "addTags"));
            tags.removeAll(ConfigValues.list(command.config(), "removeTags"));
            contact.tags(tags);
            contact.updatedAt = Instant.now();
            contact.dataAsOf = Instant.now();
            return ActionOutcome.success(Map.of("tags", tags.stream().toList()));
        });
    }
}
