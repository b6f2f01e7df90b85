package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.reward.domain.RewardConfig;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/** Adds bonus entries to a competition (default: the trigger's competitionId). */
@ApplicationScoped
public class AssignBonusCompetitionEntriesAction implements LocalAction {
    private final ProfileChanges changes;

    public AssignBonusCompetitionEntriesAction(ProfileChanges changes) {
        this.changes = changes;
    }

    @Override
    public String action() {
        return "AssignBonusCompetitionEntries";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        Decoded<Long> entries = RewardConfig.wholeAboveZero(command.config(), "entries");
        if (!entries.isOk()) {
            return Uni.createFrom().item(RewardConfig.invalid(entries));
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
        return changes.apply(command, tx, p -> p.addEntries(competitionId, entries.value()));
    }
}
