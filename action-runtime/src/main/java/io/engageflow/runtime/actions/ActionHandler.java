package io.engageflow.runtime.actions;

import java.util.Set;

/**
 * One action type of the catalog, or a family of them: a {@link LocalAction} (its whole effect is in this service's
 * PostgreSQL) or an {@link OutsideAction} (it calls outside the service). Implementations are {@code @ApplicationScoped}
 * (or {@code @Singleton}) beans in a service's {@code actions} package; the registry finds them. Business outcomes (a
 * filter that does not hold, a limit hit) are returned as an {@link ActionOutcome}; an exception means the action
 * could not run at all (the command is tried again, then parked, and its instance fails). A handler that reads its
 * config as a record is a {@link TypedLocalAction} or {@link TypedOutsideAction}: the pipeline decodes it.
 */
public sealed interface ActionHandler permits LocalAction, OutsideAction {
    /** The catalog name of the one action this handler serves, e.g. {@code ContactCouponIssue}. */
    default String action() {
        throw new IllegalStateException("names neither its action nor its actions");
    }

    /**
     * The catalog actions this handler serves: its {@link #action()}, or a family of actions that differ only in data
     * (Mailchimp's member requests, tags added or removed), each with its own row in the handler's table of variants.
     */
    default Set<String> actions() {
        return Set.of(action());
    }
}
