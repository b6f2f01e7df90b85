package io.engageflow.reward.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.json.Decoded;
import io.engageflow.runtime.actions.ActionOutcome;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ContactCouponIssue rules without a database: what a config asks for, and what an offer's state allows. */
class CouponRequestTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static CouponRequest request(Object... keyValues) {
        Map<String, Object> config = new HashMap<>();
        config.put("offer", "Summer");
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put((String) keyValues[i], keyValues[i + 1]);
        }
        Decoded<CouponRequest> read = CouponRequest.read(config);
        assertThat(read.errors()).isEmpty();
        return read.value();
    }

    private static CouponOffer offer(Integer totalLimit, int issued) {
        return new CouponOffer("ws/Summer", "ws", "Summer", totalLimit, issued, null, false);
    }

    @Test
    void aQuantityAsTextIsReadAndAnythingButAWholeNumberFrom1To1000IsRefused() {
        assertThat(request("quantity", "3").quantity()).isEqualTo(3);
        assertThat(request("quantity", 1000).quantity()).isEqualTo(1000);
        for (Object bad : List.of("2.5", 0, 1001, "many")) {
            assertThat(CouponRequest.read(Map.of("offer", "Summer", "quantity", bad)).errors())
                    .containsExactly("quantity must be a whole number from 1 to 1000, got " + bad);
        }
        assertThat(CouponRequest.read(Map.of("offer", "Summer", "quantity", 1, "contactLimit", -1)).errors())
                .containsExactly("contactLimit must be a whole number of 0 or more, got -1");
        assertThat(CouponRequest.read(Map.of("offer", " ", "quantity", 1)).errors())
                .containsExactly("offer is required");
    }

    @Test
    void anOfferIsExpiredFromTheInstantOfItsValidUntil() {
        CouponOffer ends = new CouponOffer("ws/Summer", "ws", "Summer", null, 0, NOW, false);
        CouponRequest.Decision decision = request("quantity", 1).decide(ends, 0, NOW);
        assertThat(decision.refusal()).isEqualTo(ActionOutcome.path("OfferExpired",
                Map.of("offer", "Summer", "valid_until", "2026-06-01T12:00:00Z")));
        assertThat(request("quantity", 1).decide(ends, 0, NOW.minusMillis(1)).count()).isEqualTo(1);
    }

    /** The reference's example: quantity 3 under a contact limit of 5 when the contact already holds 3. */
    @Test
    void theContactLimitRefusesOrWithAPartialAwardIssuesWhatStillFits() {
        CouponRequest.Decision strict = request("quantity", 3, "contactLimit", 5).decide(offer(null, 0), 3, NOW);
        assertThat(strict.refusal()).isEqualTo(ActionOutcome.path("OfferLimitsExceeded",
                Map.of("coupon_count", 0, "requested", 3L, "available", 2L)));
        CouponRequest partial = request("quantity", 3, "contactLimit", 5, "allowPartialAward", "true");
        assertThat(partial.decide(offer(null, 0), 3, NOW)).isEqualTo(new CouponRequest.Decision(2, null));
        assertThat(partial.decide(offer(null, 0), 5, NOW).refusal().outputs())
                .isEqualTo(Map.of("coupon_count", 0, "requested", 3L, "available", 0L));
    }

    @Test
    void theOfferStockBoundsTheIssueLikeTheContactLimit() {
        assertThat(request("quantity", 3).decide(offer(5, 4), 0, NOW).refusal().outputs())
                .isEqualTo(Map.of("coupon_count", 0, "requested", 3L, "available", 1L));
        assertThat(request("quantity", 3, "allowPartialAward", true).decide(offer(5, 4), 0, NOW).count())
                .isEqualTo(1);
        assertThat(request("quantity", 3, "contactLimit", 10, "allowPartialAward", true)
                .decide(offer(null, 1_000_000), 9, NOW).count()).isEqualTo(1);
        assertThat(request("quantity", 3, "contactLimit", 10, "allowPartialAward", true)
                .decide(offer(5, 5), 0, NOW).refusal().path()).isEqualTo("OfferLimitsExceeded");
    }

    /** Counting the contact's coupons costs a statement: it is skipped where the answer cannot depend on it. */
    @Test
    void theContactsCouponsAreCountedOnlyWhenALimitOnThemCanDecide() {
        assertThat(request("quantity", 1).needsHeld(offer(null, 0), NOW)).isFalse();
        assertThat(request("quantity", 1, "contactLimit", 2).needsHeld(offer(null, 0), NOW)).isTrue();
        assertThat(request("quantity", 1, "contactLimit", 2).needsHeld(offer(3, 2), NOW)).isTrue();
        assertThat(request("quantity", 1, "contactLimit", 2).needsHeld(offer(3, 3), NOW)).isFalse();
        CouponOffer expired = new CouponOffer("ws/Summer", "ws", "Summer", null, 0, NOW.minusSeconds(1), false);
        assertThat(request("quantity", 1, "contactLimit", 2).needsHeld(expired, NOW)).isFalse();
    }

    @Test
    void oneCouponRequestedAnswersSingleValuesAndSeveralAnswerArraysWithACount() {
        Coupon a = new Coupon("id-a", "AAAA", "https://r/id-a");
        Coupon b = new Coupon("id-b", "BBBB", "https://r/id-b");
        assertThat(request("quantity", 1).issued(List.of(a)).outputs()).isEqualTo(Map.of("coupon_id", "id-a",
                "coupon_link", "https://r/id-a", "coupon_code", "AAAA", "coupon_count", 1));
        ActionOutcome two = request("quantity", 3, "allowPartialAward", true).issued(List.of(a, b));
        assertThat(two.path()).isEqualTo("Success");
        assertThat(two.outputs()).isEqualTo(Map.of("coupon_id", List.of("id-a", "id-b"),
                "coupon_link", List.of("https://r/id-a", "https://r/id-b"), "coupon_code", List.of("AAAA", "BBBB"),
                "coupon_count", 2));
    }
}
