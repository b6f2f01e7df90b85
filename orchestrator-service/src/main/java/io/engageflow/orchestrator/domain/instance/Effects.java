package io.engageflow.orchestrator.domain.instance;

import io.engageflow.contracts.WorkflowEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What a decision asks the engine to do after it has changed the instance: commands to send and events to
 * publish, written to the outbox in the same transaction as the instance. {@code ignored} explains an input that
 * changed nothing (a stale or duplicate result).
 */
public class Effects {
    public final List<PendingCommand> commands = new ArrayList<>();
    public final List<WorkflowEvent> events = new ArrayList<>();
    public String ignored;

    public static Effects ignored(String why) {
        Effects e = new Effects();
        e.ignored = why;
        return e;
    }

    public boolean changed() {
        return ignored == null;
    }
}
