package io.engageflow.runtime.actions;

import io.engageflow.contracts.ActionCommand;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Optional hook a service may provide: runs in the transaction that claims a command, before its handler (for a
 * local action in the same transaction as the handler), e.g. to merge the contact snapshot the command carries into
 * the service's own contact record.
 */
public interface CommandListener {
    Uni<Void> beforeAction(ActionCommand command, SqlConnection tx);
}
