package io.engageflow.runtime.actions;

import io.engageflow.contracts.ActionCommand;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * An action whose whole effect is in this service's PostgreSQL (a coupon, points, a tag). It runs inside the
 * transaction that claims the command and records its result, with the other commands of the poll: the effect and
 * the record commit together or not at all, so a redelivered command never repeats the effect. Use plain SQL on
 * {@code tx} (the hot path does not go through Hibernate), lock what you change ({@code SELECT … FOR UPDATE}), and
 * never call outside the service here.
 */
public non-sealed interface LocalAction extends ActionHandler {
    /** Runs the action; {@code command.config()} has templates resolved and catalog defaults filled in. */
    Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx);
}
