package io.engageflow.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why a trigger exists when a workflow's step caused it (a platform event such as {@code Contact.ListAdded}):
 * {@code rootEventId} is the eventId of the outside trigger the chain began with, {@code instanceId} and
 * {@code stepId} the instance and step whose effect caused it, {@code depth} how many workflow steps lie between
 * the root and it (1 for an event caused by an instance an outside trigger started). A trigger from outside has no
 * causation (depth 0). trigger-service refuses a trigger deeper than its limit: a chain that deep is taken for a loop.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Causation(String rootEventId, String instanceId, String stepId, Integer depth) {

    /** The causation of an event caused by the step of an instance that {@code cause} started (null: unknown). */
    public static Causation causedBy(TriggerEvent cause, String instanceId, String stepId) {
        Causation before = cause == null ? null : cause.causation();
        String root = before != null && before.rootEventId() != null ? before.rootEventId()
                : cause != null ? cause.eventId() : null;
        int depth = (before != null && before.depth() != null ? before.depth() : 0) + 1;
        return new Causation(root, instanceId, stepId, depth);
    }

    /** The depth of a trigger with this causation, or 0 for one from outside. */
    public static int depthOf(Causation causation) {
        return causation == null || causation.depth() == null ? 0 : causation.depth();
    }
}
