package io.engageflow.runtime.messaging;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.contracts.json.JsonCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a command record: JSON that decodes to an {@link ActionCommand} with the fields every command needs. A record
 * that fails here can never run, so the delivery parks it at once on {@code <commands topic>.dlq}.
 */
final class CommandReader {
    /** Widths of processed_command's key columns: an id that does not fit could never be claimed or recorded. */
    static final int MAX_COMMAND_ID = 200;
    static final int MAX_INSTANCE_ID = 100;

    private CommandReader() {
    }

    static Decoded<ActionCommand> read(String value) {
        Decoded<ActionCommand> decoded = JsonCodec.decode(value, ActionCommand.class);
        if (!decoded.isOk()) {
            return decoded;
        }
        List<String> problems = problems(decoded.value());
        return problems.isEmpty() ? decoded : Decoded.failed(problems);
    }

    static List<String> problems(ActionCommand c) {
        List<String> problems = new ArrayList<>();
        required(problems, "commandId", c.commandId());
        required(problems, "instanceId", c.instanceId());
        required(problems, "stepId", c.stepId());
        required(problems, "workspaceId", c.workspaceId());
        required(problems, "action", c.action());
        required(problems, "contact.id", c.contact() == null ? null : c.contact().id());
        if (c.commandId() != null && c.commandId().length() > MAX_COMMAND_ID) {
            problems.add("commandId is longer than " + MAX_COMMAND_ID + " characters");
        }
        if (c.instanceId() != null && c.instanceId().length() > MAX_INSTANCE_ID) {
            problems.add("instanceId is longer than " + MAX_INSTANCE_ID + " characters");
        }
        return problems;
    }

    private static void required(List<String> problems, String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is required");
        }
    }
}
