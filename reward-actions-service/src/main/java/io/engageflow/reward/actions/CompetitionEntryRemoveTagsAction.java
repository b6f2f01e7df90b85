package io.engageflow.reward.actions;

import io.engageflow.reward.domain.EntryTags;
import io.engageflow.reward.persistence.EntryTagsStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Removes tags on the trigger's competition entry. */
@ApplicationScoped
public class CompetitionEntryRemoveTagsAction extends EntryTagsAction {
    public CompetitionEntryRemoveTagsAction(EntryTagsStore store) {
        super(store);
    }

    @Override
    public String action() {
        return "CompetitionEntryRemoveTags";
    }

    @Override
    EntryTags change(EntryTags current, List<String> tags) {
        return current.remove(tags);
    }
}
