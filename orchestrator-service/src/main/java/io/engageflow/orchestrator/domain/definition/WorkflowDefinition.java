package io.engageflow.orchestrator.domain.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A parsed workflow definition: when it starts, who may re-enter it, and its steps. */
public record WorkflowDefinition(String name, String triggerType, String triggerCondition, Reentry reentry,
                                 List<Step> steps) {

    /** Whether a contact may start the workflow again. */
    public enum Reentry {
        ANYTIME("anytime"), ONCE("once"), WHILE_NOT_RUNNING("whileNotRunning");

        private final String json;

        Reentry(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }

        public static Optional<Reentry> of(String value) {
            for (Reentry r : values()) {
                if (r.json.equals(value)) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        }
    }

    /** Every step, depth first, in definition order. */
    public List<Step> allSteps() {
        List<Step> all = new ArrayList<>();
        collect(steps, all);
        return all;
    }

    /** The step with this id, wherever it is nested. */
    public Optional<Step> step(String id) {
        return allSteps().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    private static void collect(List<Step> sequence, List<Step> into) {
        for (Step s : sequence) {
            into.add(s);
            s.sequences().forEach(nested -> collect(nested, into));
        }
    }
}
