package io.engageflow.orchestrator.domain.instance;

/** The decider's answer to an input: the instance changed (with what to send), or the input was rejected. */
public sealed interface Decision {
    record Applied(Effects effects) implements Decision {
    }

    record Rejected(Rejection reason, String detail) implements Decision {
        @Override
        public String toString() {
            return reason + ": " + detail;
        }
    }

    default boolean changed() {
        return this instanceof Applied;
    }

    /** What to send: empty for a rejected input. */
    default Effects effects() {
        return this instanceof Applied applied ? applied.effects() : Effects.NONE;
    }

    static Decision rejected(Rejection reason, String detail) {
        return new Rejected(reason, detail);
    }
}
