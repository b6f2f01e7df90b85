package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.reward.persistence.RewardProfile;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Adds bonus entries to a competition (default: the trigger's competitionId). */
@ApplicationScoped
public class AssignBonusCompetitionEntriesAction implements ActionHandler {
    @Override
    public String action() {
        return "AssignBonusCompetitionEntries";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        Long entries = ConfigValues.wholeNumber(command.config(), "entries").orElse(null);
        if (entries == null || entries <= 0) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG,
                    "entries must be a whole number above 0, got " + command.config().get("entries")));
        }
        String competition = ConfigValues.string(command.config(), "competitionId");
        if (competition == null && command.trigger() != null) {
            competition = ConfigValues.string(command.trigger().data(), "competitionId");
        }
        if (competition == null) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG,
                    "no competitionId in the config or the trigger"));
        }
        String competitionId = competition;
        return RewardProfile.forUpdate(command.workspaceId(), command.contact().id()).map(p -> {
            Map<String, Long> all = new LinkedHashMap<>(p.entries());
            long total = all.merge(competitionId, entries, Long::sum);
            p.entries(all);
            p.updatedAt = Instant.now();
            return ActionOutcome.success(Map.of("competition_id", competitionId, "total_entries", total));
        });
    }
}
