package io.engageflow.orchestrator.domain.instance;

import io.engageflow.contracts.ActionCommand;

/** A command the decider wants sent to an action service's topic. */
public record PendingCommand(String topic, ActionCommand command) {
}
