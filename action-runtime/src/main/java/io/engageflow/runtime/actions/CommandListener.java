package io.engageflow.runtime.actions;

import io.engageflow.contracts.ActionCommand;
import io.smallrye.mutiny.Uni;

/**
 * Optional hook a service may provide: runs inside the command's transaction before its handler, e.g. to merge
 * the contact snapshot the command carries into the service's own contact record.
 */
public interface CommandListener {
    Uni<Void> beforeAction(ActionCommand command);
}
