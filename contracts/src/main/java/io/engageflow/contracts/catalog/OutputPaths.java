package io.engageflow.contracts.catalog;

/** Output path names that more than one action uses. */
public final class OutputPaths {
    public static final String SUCCESS = "Success";
    /** Every action has it: something went wrong, {@code error.code} says what. */
    public static final String FAILURE = "Failure";
    public static final String OFFER_LIMITS_EXCEEDED = "OfferLimitsExceeded";
    public static final String OFFER_EXPIRED = "OfferExpired";
    public static final String INSUFFICIENT_POINTS = "InsufficientPoints";
    public static final String NOT_FOUND = "NotFound";

    private OutputPaths() {
    }
}
