package io.engageflow.reward.domain;

import java.time.Instant;

/**
 * A coupon offer: how many may be issued in all ({@code totalLimit}, null for no limit), how many were, and until
 * when. {@code hasPool}: codes were supplied up front and coupons are taken from that pool instead of generated.
 */
public record CouponOffer(String key, String workspaceId, String name, Integer totalLimit, int issued,
                          Instant validUntil, boolean hasPool) {
    public static String key(String workspaceId, String name) {
        return workspaceId + "/" + name;
    }

    /** How many more may be issued, or null for no limit. */
    public Integer remaining() {
        return totalLimit == null ? null : Math.max(0, totalLimit - issued);
    }

    public boolean expiredAt(Instant now) {
        return validUntil != null && !now.isBefore(validUntil);
    }
}
