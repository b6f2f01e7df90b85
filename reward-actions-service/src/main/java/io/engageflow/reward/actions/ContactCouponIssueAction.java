package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Issues coupons of an offer; see {@link io.engageflow.reward.domain.CouponIssuer} for the rules. */
@ApplicationScoped
public class ContactCouponIssueAction implements ActionHandler {
    private final io.engageflow.reward.domain.CouponIssuer issuer;

    public ContactCouponIssueAction(io.engageflow.reward.domain.CouponIssuer issuer) {
        this.issuer = issuer;
    }

    @Override
    public String action() {
        return "ContactCouponIssue";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        return issuer.issue(command);
    }
}
