package io.engageflow.orchestrator.domain.definition;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Picks one output path, in one of two ways: {@code cases} takes the path of the first case whose condition holds,
 * else the default path (if any); {@code split} (A/B routing) sends each contact down one share's path, the share
 * chosen by a stable hash of the workflow, the step and the contact, so a contact always takes the same path. A
 * Decision has cases or a split, never both: exactly one of the two lists is non-empty in a valid definition.
 */
public record DecisionStep(String id, String name, List<Case> cases, String defaultPath, List<Share> split,
                           Map<String, List<Step>> paths) implements Step {
    public record Case(String when, String path) {
    }

    /**
     * One path of an A/B split and the percent of contacts it takes; either may be null where the definition gave
     * no usable value (the parser reports it), so the validator does not report the sum on top of it.
     */
    public record Share(String path, Integer percent) {
    }

    /** Whether this Decision routes by a split (A/B) rather than by conditions. */
    public boolean isSplit() {
        return !split.isEmpty();
    }

    @Override
    public String action() {
        return FLOW_DECISION;
    }

    @Override
    public void match(Consumer<ActionStep> action, Consumer<DecisionStep> decision, Consumer<DelayStep> delay,
                      Consumer<SplitStep> split) {
        decision.accept(this);
    }
}
