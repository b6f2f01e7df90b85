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
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/**
 * CompetitionEntryAddTags and CompetitionEntryRemoveTags: change the tags on the competition entry the command's
 * trigger is about, with the config's {@code tags}, inside the command's transaction: the entry's row is locked
 * (created on first use) and written back, two statements.
 */
public record CompetitionEntryTagsAction(Variant variant, EntryTagsStore store) implements LocalAction {
    /** The catalog actions this handler serves, and the change each makes to the entry's tags. */
    enum Variant {
        ADD("CompetitionEntryAddTags", EntryTags::add),
        REMOVE("CompetitionEntryRemoveTags", EntryTags::remove);

        final String action;
        final BiFunction<EntryTags, List<String>, EntryTags> change;

        Variant(String action, BiFunction<EntryTags, List<String>, EntryTags> change) {
            this.action = action;
            this.change = change;
        }
    }

    /** The config both take. */
    record Config(List<String> tags) {
        static Config of(ActionCommand command) {
            return new Config(ConfigValues.list(command.config(), "tags"));
        }
    }

    /** One handler bean per variant: the registry takes one for each catalog action. */
    @Dependent
    static class Variants {
        @Produces
        @Singleton
        CompetitionEntryTagsAction add(EntryTagsStore store) {
            return new CompetitionEntryTagsAction(Variant.ADD, store);
        }

        @Produces
        @Singleton
        CompetitionEntryTagsAction remove(EntryTagsStore store) {
            return new CompetitionEntryTagsAction(Variant.REMOVE, store);
        }
    }

    @Override
    public String action() {
        return variant.action;
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        Decoded<String> entryId = EntryTags.entryOf(command);
        if (!entryId.isOk()) {
            return Uni.createFrom().item(RewardConfig.invalid(entryId));
        }
        Config config = Config.of(command);
        Instant now = Instant.now();
        return store.lock(tx, command.workspaceId(), entryId.value(), now).chain(current -> {
            EntryTags changed = variant.change.apply(current, config.tags());
            return store.save(tx, command.workspaceId(), changed, now).replaceWith(changed.outcome());
        });
    }
}
