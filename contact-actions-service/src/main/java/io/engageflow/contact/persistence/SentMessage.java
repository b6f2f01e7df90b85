package io.engageflow.contact.persistence;

import io.engageflow.contracts.ActionCommand;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** An email or SMS sent to a contact by a command: a row of table {@code message}. */
public record SentMessage(String id, String workspaceId, String contactId, String channel, String recipient,
                          String subject, String body, String providerMessageId, String commandId, Instant sentAt) {
    public static final String EMAIL = "email";
    public static final String SMS = "sms";

    /** The id of the message a command sends: derived from the commandId, so a resend keeps the same id. */
    public static String idOf(ActionCommand command) {
        return UUID.nameUUIDFromBytes(command.commandId().getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The message the command sent now. */
    public static SentMessage of(ActionCommand command, String channel, String recipient, String subject, String body,
                                 String providerMessageId) {
        return new SentMessage(idOf(command), command.workspaceId(), command.contact().id(), channel, recipient,
                subject, body == null ? "" : body, providerMessageId, command.commandId(), Instant.now());
    }
}
