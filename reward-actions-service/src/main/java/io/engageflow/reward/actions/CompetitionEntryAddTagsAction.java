package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.reward.domain.EntryTagger;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** Adds tags on the trigger's competition entry. */
@ApplicationScoped
public class CompetitionEntryAddTagsAction implements ActionHandler {
    private final EntryTagger tagger;

    public CompetitionEntryAddTagsAction(EntryTagger tagger) {
        this.tagger = tagger;
    }

    @Override
    public String action() {
        return "CompetitionEntryAddTags";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        return tagger.change(command, Set::addAll);
    }
}
