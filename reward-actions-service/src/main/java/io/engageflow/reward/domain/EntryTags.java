package io.engageflow.reward.domain;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.runtime.actions.ActionOutcome;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The tags of one competition entry, in the order they were first added. */
public record EntryTags(String entryId, List<String> tags) {
    public EntryTags {
        tags = List.copyOf(tags);
    }

    /** The entry a command's trigger is about ({@code trigger.data.entryId}). */
    public static Decoded<String> entryOf(ActionCommand command) {
        String entryId = command.trigger() == null ? null : ConfigValues.string(command.trigger().data(), "entryId");
        return entryId == null ? Decoded.failed("the trigger names no competition entry (data.entryId)")
                : Decoded.ok(entryId);
    }

    /** Tags it has are kept once, where they were. */
    public EntryTags add(List<String> more) {
        Set<String> all = new LinkedHashSet<>(tags);
        all.addAll(more);
        return new EntryTags(entryId, List.copyOf(all));
    }

    public EntryTags remove(List<String> gone) {
        Set<String> all = new LinkedHashSet<>(tags);
        gone.forEach(all::remove);
        return new EntryTags(entryId, List.copyOf(all));
    }

    public ActionOutcome outcome() {
        return ActionOutcome.success(Map.of("entry_id", entryId, "tags", tags));
    }
}
