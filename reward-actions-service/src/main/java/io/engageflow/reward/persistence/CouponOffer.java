package io.engageflow.reward.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A coupon offer: how many may be issued in all ({@code totalLimit}, null for no limit) and until when. */
@Entity
@Table(name = "coupon_offer")
public class CouponOffer extends PanacheEntityBase {
    @Id
    public String key;
    @Column(name = "workspace_id")
    public String workspaceId;
    public String name;
    @Column(name = "total_limit")
    public Integer totalLimit;
    public int issued;
    @Column(name = "valid_until")
    public Instant validUntil;
    /** Codes were supplied up front: coupons are taken from that pool instead of generated. */
    @Column(name = "has_pool")
    public boolean hasPool;
    @Column(name = "created_at")
    public Instant createdAt;

    public static String key(String workspaceId, String name) {
        return workspaceId + "/" + name;
    }

    /** How many more may be issued, or null for no limit. */
    public Integer remaining() {
        return totalLimit == null ? null : Math.max(0, totalLimit - issued);
    }
}
