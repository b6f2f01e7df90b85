package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;

/** Records a gameplay score for the contact. */
@ApplicationScoped
public class AssignGameplayScoreAction implements LocalAction {
    private final ProfileChanges changes;

    public AssignGameplayScoreAction(ProfileChanges changes) {
        this.changes = changes;
    }

    @Override
    public String action() {
        return "AssignGameplayScore";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        BigDecimal score = ConfigValues.number(command.config(), "score").orElse(null);
        if (score == null) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG,
                    "score must be a number, got " + command.config().get("score")));
        }
        String context = ConfigValues.string(command.config(), "context");
        return changes.apply(command, tx, p -> p.addScore(score, context, Instant.now()));
    }
}
