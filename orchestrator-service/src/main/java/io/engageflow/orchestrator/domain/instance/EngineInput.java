package io.engageflow.orchestrator.domain.instance;

import io.engageflow.contracts.ActionResult;

/** What can happen to an instance; the decider answers each with a {@link Decision}. */
public sealed interface EngineInput {
    /** A new instance begins: InstanceStarted, then it runs until the first steps that must wait. */
    record Start() implements EngineInput {
    }

    /** An action service answered a command. */
    record Result(ActionResult result) implements EngineInput {
    }

    /** The clock: Delays whose time has come, and action steps past their deadline. */
    record Timer() implements EngineInput {
    }

    /** An admin asked to cancel the instance. */
    record Cancel() implements EngineInput {
    }

    /**
     * A record of this instance could never be processed and was parked on a dead-letter topic: the instance ends
     * failed with that reason ({@code stepId} may be null when the record names no step).
     */
    record Abort(String stepId, String code, String message) implements EngineInput {
    }

    /**
     * An admin asked to run the failed step of a failed instance again: it starts anew with its next attempt (so a
     * new commandId), the steps its failure cancelled start again, and the instance goes on from there.
     */
    record RetryStep() implements EngineInput {
    }
}
