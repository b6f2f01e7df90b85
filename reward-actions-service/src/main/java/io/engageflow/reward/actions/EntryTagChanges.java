package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.reward.domain.EntryTags;
import io.engageflow.reward.domain.RewardConfig;
import io.engageflow.reward.persistence.EntryTagsStore;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.List;

/**
 * A change of the tags on the competition entry the trigger is about: the entry's row is locked (created on first
 * use) and written back, two statements.
 */
abstract class EntryTagsAction implements LocalAction {
    private final EntryTagsStore store;

    EntryTagsAction(EntryTagsStore store) {
        this.store = store;
    }

    /** The entry's tags after this action's change. */
    abstract EntryTags change(EntryTags current, List<String> tags);

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        Decoded<String> entryId = EntryTags.entryOf(command);
        if (!entryId.isOk()) {
            return Uni.createFrom().item(RewardConfig.invalid(entryId));
        }
        List<String> tags = ConfigValues.list(command.config(), "tags");
        Instant now = Instant.now();
        return store.lock(tx, command.workspaceId(), entryId.value(), now).chain(current -> {
            EntryTags changed = change(current, tags);
            return store.save(tx, command.workspaceId(), changed, now).replaceWith(changed.outcome());
        });
    }
}
