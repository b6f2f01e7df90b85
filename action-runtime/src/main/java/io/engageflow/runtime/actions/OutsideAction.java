package io.engageflow.runtime.actions;

import io.engageflow.contracts.ActionCommand;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * An action that calls outside the service (SMTP, an SMS provider, a webhook, a SaaS provider). The pipeline claims
 * the command (commits), then calls {@link #call} outside any transaction, then records the result in a short
 * transaction of its own: no remote call ever holds a database transaction open. A crash between the call and the
 * record repeats the call once the command is delivered again; send {@code command.commandId()} as the provider's
 * idempotency key where it honours one.
 */
public non-sealed interface OutsideAction extends ActionHandler {
    /** Makes the call; outside errors are returned as a Failure outcome, not thrown. */
    Uni<ActionOutcome> call(ActionCommand command);

    /**
     * Bookkeeping of this service in the transaction that records the result (e.g. the log of messages sent).
     * Runs once per recorded result.
     */
    default Uni<Void> record(ActionCommand command, ActionOutcome outcome, SqlConnection tx) {
        return Uni.createFrom().voidItem();
    }
}
