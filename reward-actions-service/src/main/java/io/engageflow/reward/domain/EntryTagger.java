package io.engageflow.reward.domain;

import com.fasterxml.jackson.core.type.TypeReference;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.reward.persistence.EntryTags;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/** Adds or removes tags on the competition entry the trigger is about ({@code trigger.data.entryId}). */
@ApplicationScoped
public class EntryTagger {
    public Uni<ActionOutcome> change(ActionCommand command, BiConsumer<Set<String>, List<String>> change) {
        String entryId = command.trigger() == null ? null : ConfigValues.string(command.trigger().data(), "entryId");
        if (entryId == null) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG,
                    "the trigger names no competition entry (data.entryId)"));
        }
        List<String> tags = ConfigValues.list(command.config(), "tags");
        String key = command.workspaceId() + "/" + entryId;
        return EntryTags.<EntryTags>findById(key, LockModeType.PESSIMISTIC_WRITE).chain(existing -> {
            EntryTags row = existing;
            if (row == null) {
                row = new EntryTags();
                row.key = key;
                row.workspaceId = command.workspaceId();
                row.entryId = entryId;
            }
            Set<String> current = new LinkedHashSet<>(JsonCodec.read(row.tagsJson,
                    new TypeReference<List<String>>() { }));
            change.accept(current, tags);
            row.tagsJson = JsonCodec.encode(List.copyOf(current));
            row.updatedAt = Instant.now();
            ActionOutcome outcome = ActionOutcome.success(Map.of("entry_id", entryId, "tags", List.copyOf(current)));
            return (existing == null ? row.persist() : Uni.createFrom().item(row)).replaceWith(outcome);
        });
    }
}
