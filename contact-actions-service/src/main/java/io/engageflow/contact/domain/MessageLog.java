package io.engageflow.contact.domain;

import io.engageflow.contact.persistence.SentMessage;
import io.engageflow.contracts.ActionCommand;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** Records what was sent; the message id is derived from the commandId so a resend keeps the same id. */
@ApplicationScoped
public class MessageLog {
    public static String messageId(ActionCommand command) {
        return UUID.nameUUIDFromBytes(command.commandId().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    public Uni<SentMessage> record(ActionCommand command, String channel, String recipient, String subject,
                                   String body, String providerMessageId) {
        SentMessage m = new SentMessage();
        m.id = messageId(command);
        m.workspaceId = command.workspaceId();
        m.contactId = command.contact().id();
        m.channel = channel;
        m.recipient = recipient;
        m.subject = subject;
        m.body = body;
        m.providerMessageId = providerMessageId;
        m.commandId = command.commandId();
        m.sentAt = Instant.now();
        return m.persist();
    }
}
