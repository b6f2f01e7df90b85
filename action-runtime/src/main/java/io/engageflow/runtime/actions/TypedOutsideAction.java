package io.engageflow.runtime.actions;

import io.engageflow.contracts.ActionCommand;
import io.smallrye.mutiny.Uni;

/** An {@link OutsideAction} whose config the pipeline decodes into a record first ({@link TypedConfig}). */
public interface TypedOutsideAction<C> extends OutsideAction, TypedConfig<C> {
    /** Makes the call with the command's config decoded; outside errors are a Failure outcome, not thrown. */
    Uni<ActionOutcome> call(ActionCommand command, C config);

    /** Decodes the config as the pipeline does (which calls the typed form itself), then makes the call. */
    @Override
    default Uni<ActionOutcome> call(ActionCommand command) {
        return ActionConfig.decoding(this, actions(), command, config -> call(command, config));
    }
}
