package io.engageflow.contact.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An email or SMS sent to a contact by a command. */
@Entity
@Table(name = "message")
public class SentMessage extends PanacheEntityBase {
    public static final String EMAIL = "email";
    public static final String SMS = "sms";

    @Id
    public String id;
    @Column(name = "workspace_id")
    public String workspaceId;
    @Column(name = "contact_id")
    public String contactId;
    public String channel;
    public String recipient;
    public String subject;
    public String body;
    @Column(name = "provider_message_id")
    public String providerMessageId;
    @Column(name = "command_id")
    public String commandId;
    @Column(name = "sent_at")
    public Instant sentAt;
}
