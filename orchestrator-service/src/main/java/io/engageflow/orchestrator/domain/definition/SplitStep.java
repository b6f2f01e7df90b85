package io.engageflow.orchestrator.domain.definition;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs its branches in parallel; finishes when every branch that runs has. A branch with a condition ({@code when})
 * runs only if the condition holds when the Split starts; otherwise it is skipped and the Split joins on the rest.
 */
public record SplitStep(String id, String name, List<Branch> branches) implements Step {

    /** One branch: its steps, and the condition it runs under ({@code null}: it always runs). */
    public record Branch(String when, List<Step> steps) {
        /** A plain branch, a list of steps that always runs. */
        public static Branch always(List<Step> steps) {
            return new Branch(null, steps);
        }

        public boolean conditional() {
            return when != null;
        }
    }

    @Override
    public String action() {
        return FLOW_SPLIT;
    }

    @Override
    public List<List<Step>> sequences() {
        return branches.stream().map(Branch::steps).toList();
    }

    @Override
    public void match(Consumer<ActionStep> action, Consumer<DecisionStep> decision, Consumer<DelayStep> delay,
                      Consumer<SplitStep> split) {
        split.accept(this);
    }
}
