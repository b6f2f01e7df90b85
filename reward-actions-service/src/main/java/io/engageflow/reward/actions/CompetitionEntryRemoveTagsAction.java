package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.reward.domain.EntryTagger;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** Removes tags on the trigger's competition entry. */
@ApplicationScoped
public class CompetitionEntryRemoveTagsAction implements ActionHandler {
    private final EntryTagger tagger;

    public CompetitionEntryRemoveTagsAction(EntryTagger tagger) {
        this.tagger = tagger;
    }

    @Override
    public String action() {
        return "CompetitionEntryRemoveTags";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        return tagger.change(command, Set::removeAll);
    }
}
