package io.engageflow.runtime.actions;

/**
 * One action type of the catalog: a {@link LocalAction} (its whole effect is in this service's PostgreSQL) or an
 * {@link OutsideAction} (it calls outside the service). Implementations are {@code @ApplicationScoped} (or
 * {@code @Singleton}) beans in a service's {@code actions} package; the registry finds them. Business outcomes (a
 * filter that does not hold, a limit hit) are returned as an {@link ActionOutcome}; an exception means the action
 * could not run at all (the command is tried again, then parked, and its instance fails).
 */
public sealed interface ActionHandler permits LocalAction, OutsideAction {
    /** The catalog name, e.g. {@code ContactCouponIssue}. */
    String action();
}
