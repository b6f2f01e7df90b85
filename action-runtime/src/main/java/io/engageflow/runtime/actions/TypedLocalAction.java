package io.engageflow.runtime.actions;

import io.engageflow.contracts.ActionCommand;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** A {@link LocalAction} whose config the pipeline decodes into a record first ({@link TypedConfig}). */
public interface TypedLocalAction<C> extends LocalAction, TypedConfig<C> {
    /** Runs the action with the command's config decoded; {@code command.config()} is still there as sent. */
    Uni<ActionOutcome> execute(ActionCommand command, C config, SqlConnection tx);

    /** Decodes the config as the pipeline does (which calls the typed form itself), then runs the action. */
    @Override
    default Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        return ActionConfig.decoding(this, actions(), command, config -> execute(command, config, tx));
    }
}
