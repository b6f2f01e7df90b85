package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.TriggerTypes;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.reward.domain.Coupon;
import io.engageflow.reward.domain.CouponMint;
import io.engageflow.reward.domain.CouponOffer;
import io.engageflow.reward.domain.CouponRequest;
import io.engageflow.reward.persistence.CouponStore;
import io.engageflow.reward.persistence.OfferStore;
import io.engageflow.runtime.actions.ActionConfig;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.TypedLocalAction;
import io.engageflow.runtime.events.PlatformEvents;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Issues coupons of an offer (rules: {@link CouponRequest}). The offer row is locked first and held to the end of the
 * command's transaction, so issues of one offer apply one after the other: the count of the contact's coupons and
 * the stock it is checked against cannot change until the issue is recorded. Statements: lock the offer; count the
 * contact's coupons (only under a contact limit); write the coupons and the offer's new count in one statement.
 * Coupons issued fire Coupon.Issued ({@code offer}, {@code count}) in the same transaction.
 */
@ApplicationScoped
public class ContactCouponIssueAction implements TypedLocalAction<CouponRequest.Config> {
    private final OfferStore offers;
    private final CouponStore coupons;
    private final CouponMint mint;
    private final PlatformEvents events;

    public ContactCouponIssueAction(OfferStore offers, CouponStore coupons, CouponMint mint, PlatformEvents events) {
        this.offers = offers;
        this.coupons = coupons;
        this.mint = mint;
        this.events = events;
    }

    @Override
    public String action() {
        return CouponRequest.ACTION;
    }

    @Override
    public Class<CouponRequest.Config> configType(String action) {
        return CouponRequest.Config.class;
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, CouponRequest.Config config, SqlConnection tx) {
        Decoded<CouponRequest> read = CouponRequest.of(config, command.config());
        if (!read.isOk()) {
            return Uni.createFrom().item(ActionConfig.invalid(read));
        }
        CouponRequest request = read.value();
        String contactId = command.contact().id();
        return offers.lock(tx, CouponOffer.key(command.workspaceId(), request.offer())).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(request.unknownOffer());
            }
            CouponOffer offer = found.get();
            Instant now = Instant.now();
            Uni<Long> held = request.needsHeld(offer, now) ? coupons.countHeld(tx, offer, contactId)
                    : Uni.createFrom().item(0L);
            return held.chain(count -> {
                CouponRequest.Decision decision = request.decide(offer, count, now);
                return decision.refusal() != null ? Uni.createFrom().item(decision.refusal())
                        : take(tx, offer, decision.count(), command, now).map(request::issued);
            });
        });
    }

    private Uni<List<Coupon>> take(SqlConnection tx, CouponOffer offer, int count, ActionCommand command,
                                   Instant now) {
        String contactId = command.contact().id();
        Uni<List<Coupon>> issued = offer.hasPool()
                ? coupons.issueFromPool(tx, offer, count, contactId, command.commandId(), now)
                : coupons.issueNew(tx, offer, mint.generate(count), contactId, command.commandId(), now);
        return issued.call(taken -> taken.isEmpty() ? Uni.createFrom().voidItem()
                : events.publish(tx, command, RewardEvents.contactOf(command), List.of(PlatformEvents.Event.of(
                        TriggerTypes.COUPON_ISSUED, Map.of("offer", offer.name(), "count", taken.size())))));
    }
}
