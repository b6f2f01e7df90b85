package io.engageflow.runtime.actions;

import io.engageflow.contracts.ActionCommand;
import io.smallrye.mutiny.Uni;

/**
 * One action type of the catalog. Implementations are {@code @ApplicationScoped} beans in a service's
 * {@code actions} package; the registry finds them. Business outcomes (a filter that does not hold, a limit hit)
 * are returned as an {@link ActionOutcome}; an exception means the action could not run at all. Database effects
 * made through Panache join the pipeline's transaction, which also records the commandId, so they happen once.
 */
public interface ActionHandler {
    /** The catalog name, e.g. {@code ContactCouponIssue}. */
    String action();

    /** Runs the action; {@code command.config()} has templates resolved and catalog defaults filled in. */
    Uni<ActionOutcome> execute(ActionCommand command);
}
