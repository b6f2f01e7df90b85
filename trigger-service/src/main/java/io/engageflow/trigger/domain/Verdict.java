package io.engageflow.trigger.domain;

import io.engageflow.contracts.TriggerEvent;
import java.util.List;

/** What the edge made of a trigger record or request body: a trigger to forward, or the reasons it is refused. */
public sealed interface Verdict permits Verdict.Valid, Verdict.Rejected {

    /** A trigger that passed every check, normalised (canonical type, workspace, occurredAt), and its JSON text. */
    record Valid(TriggerEvent trigger, String json) implements Verdict {
    }

    /** Refused with its reasons; {@code tooLarge} when its size alone refused it (HTTP 413 rather than 400). */
    record Rejected(List<String> reasons, boolean tooLarge) implements Verdict {
        public String reason() {
            return String.join("; ", reasons);
        }
    }
}
