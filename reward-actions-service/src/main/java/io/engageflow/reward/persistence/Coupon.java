package io.engageflow.reward.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A coupon of an offer; issued once it has a contact. */
@Entity
@Table(name = "coupon")
public class Coupon extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "offer_key")
    public String offerKey;
    @Column(name = "workspace_id")
    public String workspaceId;
    public String code;
    public String link;
    @Column(name = "contact_id")
    public String contactId;
    @Column(name = "command_id")
    public String commandId;
    @Column(name = "issued_at")
    public Instant issuedAt;
}
