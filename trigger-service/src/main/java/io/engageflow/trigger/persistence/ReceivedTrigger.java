package io.engageflow.trigger.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A trigger accepted once: (workspace, eventId) is the de-duplication key; forwardedAt marks it handed on. */
@Entity
@Table(name = "received_trigger")
public class ReceivedTrigger extends PanacheEntityBase {
    /** workspace + "/" + eventId. */
    @Id
    public String key;

    @Column(name = "workspace_id")
    public String workspaceId;

    @Column(name = "event_id")
    public String eventId;

    public String type;

    @Column(name = "contact_id")
    public String contactId;

    @Column(name = "received_at")
    public Instant receivedAt;

    @Column(name = "forwarded_at")
    public Instant forwardedAt;

    public static String key(String workspaceId, String eventId) {
        return workspaceId + "/" + eventId;
    }
}
