package io.engageflow.runtime.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.json.Decoded;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** A {@link LocalAction} whose config the pipeline decodes into a record first ({@link TypedConfig}). */
public interface TypedLocalAction<C> extends LocalAction, TypedConfig<C> {
    /** Runs the action with the command's config decoded; {@code command.config()} is still there as sent. */
    Uni<ActionOutcome> execute(ActionCommand command, C config, SqlConnection tx);

    /** Decodes the config as the pipeline does (which calls the typed form itself), then runs the action. */
    @Override
    default Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        Decoded<C> config = ActionConfig.decode(this, actions(), command);
        return config.isOk() ? execute(command, config.value(), tx)
                : Uni.createFrom().item(ActionConfig.invalid(config));
    }
}
