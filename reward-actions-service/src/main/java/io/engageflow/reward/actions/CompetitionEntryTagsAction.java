package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.reward.domain.EntryTags;
import io.engageflow.reward.persistence.EntryTagsStore;
import io.engageflow.runtime.actions.ActionConfig;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.TypedLocalAction;
import io.engageflow.runtime.actions.Variants;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * CompetitionEntryAddTags and CompetitionEntryRemoveTags: change the tags on the competition entry the command's
 * trigger is about, with the config's {@code tags}, inside the command's transaction: the entry's row is locked
 * (created on first use) and written back, two statements.
 */
@Singleton
public class CompetitionEntryTagsAction implements TypedLocalAction<CompetitionEntryTagsAction.Config> {
    /** The config both take. */
    record Config(List<String> tags) {
    }

    /** A catalog action this handler serves, and the change it makes to the entry's tags. */
    record Variant(String action, BiFunction<EntryTags, List<String>, EntryTags> change) {
    }

    private static final Map<String, Variant> VARIANTS = Variants.byAction(Variant::action,
            new Variant("CompetitionEntryAddTags", EntryTags::add),
            new Variant("CompetitionEntryRemoveTags", EntryTags::remove));

    private final EntryTagsStore store;

    public CompetitionEntryTagsAction(EntryTagsStore store) {
        this.store = store;
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
        Decoded<String> entryId = EntryTags.entryOf(command);
        if (!entryId.isOk()) {
            return Uni.createFrom().item(ActionConfig.invalid(entryId));
        }
        Variant variant = VARIANTS.get(command.action());
        Instant now = Instant.now();
        return store.lock(tx, command.workspaceId(), entryId.value(), now).chain(current -> {
            EntryTags changed = variant.change().apply(current, config.tags());
            return store.save(tx, command.workspaceId(), changed, now).replaceWith(changed.outcome());
        });
    }
}
