package io.engageflow.contact.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** Table {@code message} (every email and SMS sent, one per command) in plain SQL. */
@ApplicationScoped
public class MessageStore {
    private static final String INSERT = "INSERT INTO message (id, workspace_id, contact_id, channel, recipient, "
            + "subject, body, provider_message_id, command_id, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
            // the pipeline records a command's result once; should it ever record one twice, the first log row stands
            + "ON CONFLICT (command_id) DO NOTHING";
    private static final String OF_CONTACT = "SELECT id, workspace_id, contact_id, channel, recipient, subject, body, "
            + "provider_message_id, command_id, sent_at FROM message WHERE workspace_id = $1 AND contact_id = $2 "
            + "ORDER BY sent_at DESC";

    public Uni<Void> insert(SqlClient client, SentMessage m) {
        return client.preparedQuery(INSERT).execute(Tuple.from(new Object[] {m.id(), m.workspaceId(), m.contactId(),
                m.channel(), m.recipient(), m.subject(), m.body(), m.providerMessageId(), m.commandId(),
                ContactStore.utc(m.sentAt())})).replaceWithVoid();
    }

    /** The messages sent to the contact, newest first. */
    public Uni<List<SentMessage>> ofContact(SqlClient client, String workspaceId, String contactId) {
        return client.preparedQuery(OF_CONTACT).execute(Tuple.of(workspaceId, contactId)).map(rows -> {
            List<SentMessage> out = new ArrayList<>(rows.size());
            rows.forEach(r -> out.add(new SentMessage(r.getString("id"), r.getString("workspace_id"),
                    r.getString("contact_id"), r.getString("channel"), r.getString("recipient"),
                    r.getString("subject"), r.getString("body"), r.getString("provider_message_id"),
                    r.getString("command_id"), r.getOffsetDateTime("sent_at").toInstant())));
            return out;
        });
    }
}
