package io.engageflow.orchestrator.domain.definition;

import java.util.List;
import java.util.Map;

/** Takes the path of the first case whose condition holds, else the default path (if any). */
public record DecisionStep(String id, String name, List<Case> cases, String defaultPath,
                           Map<String, List<Step>> paths) implements Step {
    public record Case(String when, String path) {
    }

    @Override
    public String action() {
        return FLOW_DECISION;
    }
}
