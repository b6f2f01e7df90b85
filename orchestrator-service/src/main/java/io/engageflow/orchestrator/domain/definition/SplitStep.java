package io.engageflow.orchestrator.domain.definition;

import java.util.List;

/** Runs its branches in parallel; finishes when every branch has. */
public record SplitStep(String id, String name, List<List<Step>> branches) implements Step {
    @Override
    public String action() {
        return FLOW_SPLIT;
    }
}
