package io.engageflow.runtime.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.json.Decoded;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** An {@link OutsideAction} whose config the pipeline decodes into a record first ({@link TypedConfig}). */
public interface TypedOutsideAction<C> extends OutsideAction, TypedConfig<C> {
    /** Makes the call with the command's config decoded; outside errors are a Failure outcome, not thrown. */
    Uni<ActionOutcome> call(ActionCommand command, C config);

    /** Decodes the config as the pipeline does (which calls the typed form itself), then makes the call. */
    @Override
    default Uni<ActionOutcome> call(ActionCommand command) {
        Decoded<C> config = ActionConfig.decode(this, actions(), command);
        return config.isOk() ? call(command, config.value()) : Uni.createFrom().item(ActionConfig.invalid(config));
    }

    /**
     * Bookkeeping in the transaction that records the result, with the command's config decoded as for the call
     * (the pipeline decodes it with the reading it checked at start). Runs once per recorded result.
     */
    default Uni<Void> record(ActionCommand command, C config, ActionOutcome outcome, SqlConnection tx) {
        return Uni.createFrom().voidItem();
    }

    /** Decodes the config as the pipeline does, then does the bookkeeping (none for a config that does not decode). */
    @Override
    default Uni<Void> record(ActionCommand command, ActionOutcome outcome, SqlConnection tx) {
        Decoded<C> config = ActionConfig.decode(this, actions(), command);
        return config.isOk() ? record(command, config.value(), outcome, tx) : Uni.createFrom().voidItem();
    }
}
