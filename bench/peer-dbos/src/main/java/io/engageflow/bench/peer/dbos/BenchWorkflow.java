package io.engageflow.bench.peer.dbos;

/** The bench workflow: ContactFilter, then ContactCouponIssue, then an HTTP POST to the load generator's sink. */
public interface BenchWorkflow {
    /** @return the path the run took: Success, Failure (no email) or OfferLimitsExceeded */
    String run(String triggerId, String contactId, String email, String webhook);
}
