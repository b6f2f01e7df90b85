package io.engageflow.orchestrator.domain.instance;

import io.engageflow.contracts.WorkflowEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What a decision asks the engine to send after it has changed the instance: commands and events, written to the
 * outbox in the same transaction as the instance.
 */
public class Effects {
    static final Effects NONE = new Effects(List.of(), List.of());

    public final List<PendingCommand> commands;
    public final List<WorkflowEvent> events;

    Effects() {
        this(new ArrayList<>(), new ArrayList<>());
    }

    private Effects(List<PendingCommand> commands, List<WorkflowEvent> events) {
        this.commands = commands;
        this.events = events;
    }
}
