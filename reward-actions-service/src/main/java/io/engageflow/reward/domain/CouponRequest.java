package io.engageflow.reward.domain;

import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.contracts.catalog.OutputPaths;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.runtime.actions.ActionConfig;
import io.engageflow.runtime.actions.ActionConfig.Required;
import io.engageflow.runtime.actions.ActionOutcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ContactCouponIssue as the product reference defines it: issue {@code quantity} coupons of an offer, within the
 * offer's total limit and the contact's limit; with allowPartialAward issue what still fits, else take
 * OfferLimitsExceeded; an offer past its validUntil takes OfferExpired. The caller holds the offer row locked while
 * it counts, decides and issues, so concurrent issues of one offer apply one after the other and no limit is ever
 * exceeded.
 */
public record CouponRequest(String offer, long quantity, Long contactLimit, boolean allowPartial) {
    /** The catalog action whose config this reads. */
    public static final String ACTION = "ContactCouponIssue";
    public static final int MAX_QUANTITY = 1000;

    /**
     * The config as the pipeline decodes it ({@link ActionConfig}): the offer is required; quantity and contactLimit
     * are numbers, null when absent or not one, judged by {@link #of}.
     */
    public record Config(@Required String offer, BigDecimal quantity, BigDecimal contactLimit,
                         boolean allowPartialAward) {
    }

    /** What a config asks for, decoded as the pipeline decodes it, or why it asks for nothing that can be issued. */
    public static Decoded<CouponRequest> read(Map<String, Object> config) {
        Decoded<Config> decoded = ActionConfig.<Config>of(Config.class, ActionConfig.specs(List.of(ACTION)))
                .decode(config);
        return decoded.isOk() ? of(decoded.value(), config) : Decoded.failed(decoded.errors());
    }

    /**
     * What the decoded config asks for, or why it asks for nothing that can be issued. {@code sent} is the config as
     * the command holds it: a refused value is named as it was sent.
     */
    public static Decoded<CouponRequest> of(Config config, Map<String, Object> sent) {
        Long quantity = whole(config.quantity());
        if (quantity == null || quantity < 1 || quantity > MAX_QUANTITY) {
            return Decoded.failed("quantity must be a whole number from 1 to " + MAX_QUANTITY + ", got "
                    + sent.get("quantity"));
        }
        Long contactLimit = null;
        if (sent.get("contactLimit") != null) {
            contactLimit = whole(config.contactLimit());
            if (contactLimit == null || contactLimit < 0) {
                return Decoded.failed("contactLimit must be a whole number of 0 or more, got "
                        + sent.get("contactLimit"));
            }
        }
        return Decoded.ok(new CouponRequest(config.offer(), quantity, contactLimit, config.allowPartialAward()));
    }

    /** The number if it is whole, else null. */
    private static Long whole(BigDecimal number) {
        return number == null ? null : ConfigValues.whole(number).orElse(null);
    }

    public ActionOutcome unknownOffer() {
        return ActionOutcome.failure(ErrorCodes.INVALID_CONFIG, "no coupon offer named " + offer);
    }

    /**
     * Whether {@link #decide} needs how many of the offer's coupons the contact holds: only under a contact limit,
     * and only when the offer is not already expired or out of stock (then the answer does not depend on it).
     */
    public boolean needsHeld(CouponOffer offer, Instant now) {
        Integer remaining = offer.remaining();
        return contactLimit != null && !offer.expiredAt(now) && (remaining == null || remaining > 0);
    }

    /** How many coupons to issue, or the outcome that ends the request here. */
    public Decision decide(CouponOffer offer, long held, Instant now) {
        if (offer.expiredAt(now)) {
            return Decision.refusing(ActionOutcome.path(OutputPaths.OFFER_EXPIRED,
                    Map.of("offer", offer.name(), "valid_until", offer.validUntil().toString())));
        }
        long fits = quantity;
        if (offer.remaining() != null) {
            fits = Math.min(fits, offer.remaining());
        }
        if (contactLimit != null) {
            fits = Math.min(fits, Math.max(0, contactLimit - held));
        }
        if (fits < quantity && (!allowPartial || fits == 0)) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("coupon_count", 0);
            out.put("requested", quantity);
            out.put("available", fits);
            return Decision.refusing(ActionOutcome.path(OutputPaths.OFFER_LIMITS_EXCEEDED, out));
        }
        return Decision.issuing((int) fits);
    }

    /** One coupon requested: single values. Several: JSON arrays plus coupon_count (the reference's outputs). */
    public ActionOutcome issued(List<Coupon> coupons) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (quantity == 1 && coupons.size() == 1) {
            Coupon c = coupons.get(0);
            out.put("coupon_id", c.id());
            out.put("coupon_link", c.link());
            out.put("coupon_code", c.code());
        } else {
            out.put("coupon_id", coupons.stream().map(Coupon::id).toList());
            out.put("coupon_link", coupons.stream().map(Coupon::link).toList());
            out.put("coupon_code", coupons.stream().map(Coupon::code).toList());
        }
        out.put("coupon_count", coupons.size());
        return ActionOutcome.success(out);
    }

    /** What {@link #decide} says: issue this many (at least one), or none and end with the refusal. */
    public record Decision(int count, ActionOutcome refusal) {
        static Decision issuing(int count) {
            return new Decision(count, null);
        }

        static Decision refusing(ActionOutcome outcome) {
            return new Decision(0, outcome);
        }
    }
}
