package io.engageflow.reward.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The tags of one competition entry. */
@Entity
@Table(name = "entry_tags")
public class EntryTags extends PanacheEntityBase {
    @Id
    public String key;
    @Column(name = "workspace_id")
    public String workspaceId;
    @Column(name = "entry_id")
    public String entryId;
    @Column(name = "tags_json")
    public String tagsJson = "[]";
    @Column(name = "updated_at")
    public Instant updatedAt;
}
