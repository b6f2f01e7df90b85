package io.engageflow.contact.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A contact's membership of a named list. */
@Entity
@Table(name = "list_member")
public class ListMember extends PanacheEntityBase {
    @Id
    public String key;
    @Column(name = "workspace_id")
    public String workspaceId;
    @Column(name = "list_name")
    public String listName;
    @Column(name = "contact_id")
    public String contactId;
    @Column(name = "added_at")
    public Instant addedAt;

    public static String key(String workspaceId, String list, String contactId) {
        return workspaceId + "/" + list + "/" + contactId;
    }
}
