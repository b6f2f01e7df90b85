package io.engageflow.reward.domain;

import io.engageflow.reward.config.RewardSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Makes new coupons: a random id, the redeem link built from it, and a given or a random code. */
@ApplicationScoped
public class CouponMint {
    private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private final SecureRandom random = new SecureRandom();
    private final String linkBase;

    public CouponMint(RewardSettings settings) {
        this.linkBase = settings.couponLinkBase().replaceAll("/$", "");
    }

    /** A coupon with the given code (a code of an offer's pool). */
    public Coupon withCode(String code) {
        String id = UUID.randomUUID().toString();
        return new Coupon(id, code, linkBase + "/" + id);
    }

    /** {@code count} coupons with random codes (ten characters of 32: a repeat within an offer is vanishingly rare). */
    public List<Coupon> generate(int count) {
        List<Coupon> coupons = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            coupons.add(withCode(code()));
        }
        return coupons;
    }

    private String code() {
        StringBuilder sb = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            sb.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
        }
        return sb.toString();
    }
}
