package io.engageflow.orchestrator.domain.instance;

import io.engageflow.contracts.ActionCommand;

/** A command the decider wants sent to an action service's topic, with its JSON (encoded once, size checked). */
public record PendingCommand(String topic, ActionCommand command, String json) {
}
