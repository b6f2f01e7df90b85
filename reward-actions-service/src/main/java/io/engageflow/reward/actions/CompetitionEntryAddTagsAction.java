package io.engageflow.reward.actions;

import io.engageflow.reward.domain.EntryTags;
import io.engageflow.reward.persistence.EntryTagsStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Adds tags on the trigger's competition entry. */
@ApplicationScoped
public class CompetitionEntryAddTagsAction extends EntryTagsAction {
    public CompetitionEntryAddTagsAction(EntryTagsStore store) {
        super(store);
    }

    @Override
    public String action() {
        return "CompetitionEntryAddTags";
    }

    @Override
    EntryTags change(EntryTags current, List<String> tags) {
        return current.add(tags);
    }
}
