package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.reward.domain.EntryTags;
import io.engageflow.reward.domain.RewardConfig;
import io.engageflow.reward.persistence.EntryTagsStore;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Changes the tags on the competition entry the command's trigger is about, with the config's {@code tags}, inside
 * the command's transaction: the entry's row is locked (created on first use) and written back, two statements.
 */
@ApplicationScoped
public class EntryTagChanges {
    private final EntryTagsStore store;

    public EntryTagChanges(EntryTagsStore store) {
        this.store = store;
    }

    public Uni<ActionOutcome> apply(ActionCommand command, SqlConnection tx,
                                    BiFunction<EntryTags, List<String>, EntryTags> change) {
        Decoded<String> entryId = EntryTags.entryOf(command);
        if (!entryId.isOk()) {
            return Uni.createFrom().item(RewardConfig.invalid(entryId));
        }
        List<String> tags = ConfigValues.list(command.config(), "tags");
        Instant now = Instant.now();
        return store.lock(tx, command.workspaceId(), entryId.value(), now).chain(current -> {
            EntryTags changed = change.apply(current, tags);
            return store.save(tx, command.workspaceId(), changed, now).replaceWith(changed.outcome());
        });
    }
}
