package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.runtime.actions.ActionConfig.WholeAbove;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.TypedLocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/** Adds bonus entries to a competition (default: the trigger's competitionId). */
@ApplicationScoped
public class AssignBonusCompetitionEntriesAction
        implements TypedLocalAction<AssignBonusCompetitionEntriesAction.Entries> {
    /** The config: how many entries, and the competition unless the trigger names it. */
    record Entries(@WholeAbove(0) long entries, String competitionId) {
    }

    private final ProfileChanges changes;

    public AssignBonusCompetitionEntriesAction(ProfileChanges changes) {
        this.changes = changes;
    }

    @Override
    public String action() {
        return "AssignBonusCompetitionEntries";
    }

    @Override
    public Class<Entries> configType(String action) {
        return Entries.class;
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, Entries config, SqlConnection tx) {
        String competition = config.competitionId();
        if (competition == null && command.trigger() != null) {
            competition = ConfigValues.string(command.trigger().data(), "competitionId");
        }
        if (competition == null) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG,
                    "no competitionId in the config or the trigger"));
        }
        String competitionId = competition;
        return changes.apply(command, tx, p -> p.addEntries(competitionId, config.entries()));
    }
}
