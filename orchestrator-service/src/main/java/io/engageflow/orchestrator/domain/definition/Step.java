package io.engageflow.orchestrator.domain.definition;

import java.util.List;
import java.util.Map;

/** One step of a workflow: an action run by an action service, or flow control run by the orchestrator. */
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
}
