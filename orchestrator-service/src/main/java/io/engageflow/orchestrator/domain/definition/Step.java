package io.engageflow.orchestrator.domain.definition;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One step of a workflow: an action run by an action service, or flow control run by the orchestrator.
 *
 * <p>Code that treats the kinds differently does so through {@link #match}, the exhaustive switch over them (Java 17
 * has no pattern switch over a sealed type).
 */
public sealed interface Step permits ActionStep, DecisionStep, SplitStep, DelayStep {
    String FLOW_DECISION = "Decision";
    String FLOW_SPLIT = "Split";
    String FLOW_DELAY = "Delay";

    String id();

    String name();

    /** The catalog action, or Decision / Split / Delay. */
    String action();

    /** The sequences that follow an output path; empty for steps without paths. */
    default Map<String, List<Step>> paths() {
        return Map.of();
    }

    /** Every sequence nested in this step, in definition order: its paths' and, for a Split, its branches'. */
    default List<List<Step>> sequences() {
        return List.copyOf(paths().values());
    }

    /**
     * The one dispatch on a step's kind: hands this step to the handler of its kind. Each kind has its parameter, so
     * a new kind of step does not compile until every caller says what it does with it.
     */
    void match(Consumer<ActionStep> action, Consumer<DecisionStep> decision, Consumer<DelayStep> delay,
               Consumer<SplitStep> split);
}
