package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.reward.domain.EntryTags;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/** Adds tags on the trigger's competition entry. */
@ApplicationScoped
public class CompetitionEntryAddTagsAction implements LocalAction {
    private final EntryTagChanges changes;

    public CompetitionEntryAddTagsAction(EntryTagChanges changes) {
        this.changes = changes;
    }

    @Override
    public String action() {
        return "CompetitionEntryAddTags";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        return changes.apply(command, tx, EntryTags::add);
    }
}
