package io.engageflow.reward.domain;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.contracts.catalog.OutputPaths;
import io.engageflow.reward.persistence.Coupon;
import io.engageflow.reward.persistence.CouponOffer;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * ContactCouponIssue as the product reference defines it: issue {@code quantity} coupons of an offer, within the
 * offer's total limit and the contact's limit; with allowPartialAward issue what still fits, else take
 * OfferLimitsExceeded; an offer past its validUntil takes OfferExpired. The offer row is locked for the
 * transaction, so concurrent issues of one offer are serialized and no limit is ever exceeded.
 */
@ApplicationScoped
public class CouponIssuer {
    private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final int MAX_QUANTITY = 1000;
    private final SecureRandom random = new SecureRandom();
    private final String linkBase;

    public CouponIssuer(@ConfigProperty(name = "engageflow.rewards.coupon-link-base",
            defaultValue = "https://rewards.engageflow.local/coupons") String linkBase) {
        this.linkBase = linkBase.replaceAll("/$", "");
    }

    public Uni<ActionOutcome> issue(ActionCommand command) {
        Map<String, Object> config = command.config();
        String offerName = ConfigValues.string(config, "offer");
        Long quantity = ConfigValues.wholeNumber(config, "quantity").orElse(null);
        if (quantity == null || quantity < 1 || quantity > MAX_QUANTITY) {
            return fail("quantity must be a whole number from 1 to " + MAX_QUANTITY + ", got "
                    + config.get("quantity"));
        }
        Long contactLimit = null;
        if (config.get("contactLimit") != null) {
            contactLimit = ConfigValues.wholeNumber(config, "contactLimit").orElse(null);
            if (contactLimit == null || contactLimit < 0) {
                return fail("contactLimit must be a whole number of 0 or more, got " + config.get("contactLimit"));
            }
        }
        boolean allowPartial = ConfigValues.flag(config, "allowPartialAward", false);
        Long limit = contactLimit;
        String contactId = command.contact().id();
        return CouponOffer.<CouponOffer>findById(CouponOffer.key(command.workspaceId(), offerName),
                LockModeType.PESSIMISTIC_WRITE).chain(offer -> {
                    if (offer == null) {
                        return fail("no coupon offer named " + offerName);
                    }
                    if (offer.validUntil != null && !Instant.now().isBefore(offer.validUntil)) {
                        return Uni.createFrom().item(ActionOutcome.path(OutputPaths.OFFER_EXPIRED,
                                Map.of("offer", offer.name, "valid_until", offer.validUntil.toString())));
                    }
                    return Coupon.count("offerKey = ?1 and contactId = ?2", offer.key, contactId).chain(held -> {
                        long fits = quantity;
                        if (offer.remaining() != null) {
                            fits = Math.min(fits, offer.remaining());
                        }
                        if (limit != null) {
                            fits = Math.min(fits, Math.max(0, limit - held));
                        }
                        if (fits < quantity && (!allowPartial || fits == 0)) {
                            Map<String, Object> out = new LinkedHashMap<>();
                            out.put("coupon_count", 0);
                            out.put("requested", quantity);
                            out.put("available", fits);
                            return Uni.createFrom().item(ActionOutcome.path(OutputPaths.OFFER_LIMITS_EXCEEDED, out));
                        }
                        return take(offer, command, (int) fits)
                                .map(coupons -> ActionOutcome.success(outputs(coupons, quantity)));
                    });
                });
    }

    private Uni<List<Coupon>> take(CouponOffer offer, ActionCommand command, int count) {
        Instant now = Instant.now();
        Uni<List<Coupon>> coupons;
        if (offer.hasPool) {
            coupons = Coupon.<Coupon>find("offerKey = ?1 and contactId is null order by id", offer.key)
                    .page(0, count).list();
        } else {
            List<Coupon> fresh = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                fresh.add(newCoupon(offer, code()));
            }
            coupons = Coupon.persist(fresh).replaceWith(fresh);
        }
        return coupons.map(list -> {
            for (Coupon c : list) {
                c.contactId = command.contact().id();
                c.commandId = command.commandId();
                c.issuedAt = now;
            }
            offer.issued += list.size();
            return list;
        });
    }

    /** An unissued coupon of an offer with the given code; its link is where the contact redeems it. */
    public Coupon newCoupon(CouponOffer offer, String code) {
        Coupon c = new Coupon();
        c.id = UUID.randomUUID().toString();
        c.offerKey = offer.key;
        c.workspaceId = offer.workspaceId;
        c.code = code;
        c.link = linkBase + "/" + c.id;
        return c;
    }

    /** One coupon requested: single values. Several: JSON arrays plus coupon_count (the reference's outputs). */
    static Map<String, Object> outputs(List<Coupon> coupons, long requested) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (requested == 1 && coupons.size() == 1) {
            Coupon c = coupons.get(0);
            out.put("coupon_id", c.id);
            out.put("coupon_link", c.link);
            out.put("coupon_code", c.code);
        } else {
            out.put("coupon_id", coupons.stream().map(c -> c.id).toList());
            out.put("coupon_link", coupons.stream().map(c -> c.link).toList());
            out.put("coupon_code", coupons.stream().map(c -> c.code).toList());
        }
        out.put("coupon_count", coupons.size());
        return out;
    }

    private String code() {
        StringBuilder sb = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            sb.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
        }
        return sb.toString();
    }

    private static Uni<ActionOutcome> fail(String message) {
        return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG, message));
    }
}
