package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.reward.domain.RewardConfig;
import io.engageflow.reward.domain.RewardProfile;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/** Awards an achievement badge (a new one fires Achievement.Assigned); a badge the contact already has is kept once. */
@ApplicationScoped
public class AssignContactAchievementAction implements LocalAction {
    private final ProfileChanges changes;

    public AssignContactAchievementAction(ProfileChanges changes) {
        this.changes = changes;
    }

    @Override
    public String action() {
        return "AssignContactAchievement";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        return changes.apply(command, tx, RewardConfig.text(command.config(), "achievement"),
                RewardProfile::addAchievement, RewardEvents.ACHIEVEMENT_ASSIGNED);
    }
}
