package io.engageflow.orchestrator.domain.instance;

/** Why an input changed nothing: it is recorded (results under ignored-results) and counted, never applied. */
public enum Rejection {
    /** No instance with that id (in that workspace). */
    UNKNOWN_INSTANCE,
    /** The instance is completed, failed or cancelled. */
    INSTANCE_ENDED,
    /** The result names a step this instance never started. */
    STEP_NOT_STARTED,
    /** The step already finished: a duplicate result, or a late one after a timeout. */
    STEP_FINISHED,
    /** The result answers another command than the one in flight (an earlier attempt). */
    STALE_COMMAND,
    /** A retry of a step was asked for, but the instance did not fail at a step (or has not failed). */
    NOTHING_TO_RETRY,
    /** The clock fired but nothing was due (another replica fired it first). */
    NOTHING_DUE
}
