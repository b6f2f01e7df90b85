package io.engageflow.trigger.domain;

import io.engageflow.contracts.TriggerEvent;
import java.util.List;

/** What the edge made of a trigger record or request body: a trigger to forward, or the reasons it is refused. */
public sealed interface Verdict permits Verdict.Valid, Verdict.Rejected {

    /** A trigger that passed every check, normalised (canonical type, workspace, occurredAt), and its JSON text. */
    record Valid(TriggerEvent trigger, String json) implements Verdict {
    }

    /**
     * Refused with its reasons; {@code tooLarge} when its size alone refused it (HTTP 413 rather than 400). The
     * reasons go back to the sender and may quote what it sent (a value a parser choked on, a property's name);
     * {@code logged} are the same reasons without the sender's text, for logs. {@code eventId} is the trigger's
     * eventId when it has a valid one, else null. {@code loggedAlready}: the refusal was logged where it was made
     * (the loop guard logs once per chain), so a log line per record would only repeat it.
     */
    record Rejected(List<String> reasons, List<String> logged, String eventId, boolean tooLarge,
                    boolean loggedAlready) implements Verdict {
        public Rejected(List<String> reasons, List<String> logged, String eventId, boolean tooLarge) {
            this(reasons, logged, eventId, tooLarge, false);
        }

        public String reason() {
            return String.join("; ", reasons);
        }

        /** The reasons as a log may show them: never the sender's text. */
        public String loggedReason() {
            return String.join("; ", logged);
        }
    }
}
