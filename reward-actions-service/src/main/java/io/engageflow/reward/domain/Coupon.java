package io.engageflow.reward.domain;

/** A coupon of an offer; its link is where the contact redeems it. */
public record Coupon(String id, String code, String link) {
}
