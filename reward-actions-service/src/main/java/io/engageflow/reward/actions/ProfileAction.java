package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.reward.domain.ProfileChange;
import io.engageflow.reward.domain.RewardProfile;
import io.engageflow.runtime.actions.ActionConfig.Required;
import io.engageflow.runtime.actions.ActionConfig.WholeAbove;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.TypedLocalAction;
import io.engageflow.runtime.actions.Variants;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The actions that apply one rule of the contact's {@link RewardProfile} to a value of their config (through
 * {@link ProfileChanges}), each firing the platform events of what really changed:
 * <ul>
 *   <li>LoyaltyAwardPoints adds points to the balance (Loyalty.PointsAwarded);</li>
 *   <li>LoyaltyRedeemPoints takes them from it (Loyalty.PointsRedeemed); a balance too small takes InsufficientPoints
 *       and is left as it is;</li>
 *   <li>LoyaltyAddToTier puts the contact in a tier (one tier at a time), LoyaltyRemoveFromTier takes it out of the
 *       tier if it is in it (not in it is still Success) (Loyalty.TierChanged);</li>
 *   <li>AssignContactAchievement awards a badge, one the contact has is kept once (Achievement.Assigned).</li>
 * </ul>
 */
@Singleton
public class ProfileAction implements TypedLocalAction<Record> {
    /** Points to award or redeem. */
    record Points(@WholeAbove(0) long points) {
    }

    record Tier(@Required String tier) {
    }

    record Achievement(@Required String achievement) {
    }

    /** A catalog action this handler serves: its config, the rule it applies, and the events a change fires. */
    record Variant<C extends Record>(String action, Class<C> config, BiFunction<RewardProfile, C, ProfileChange> rule,
                                     Function<ActionCommand, ProfileChanges.Events> events) {
        Function<RewardProfile, ProfileChange> bound(Record decoded) {
            C c = config.cast(decoded);
            return profile -> rule.apply(profile, c);
        }
    }

    private static final Map<String, Variant<?>> VARIANTS = Variants.byAction(Variant::action,
            new Variant<Points>("LoyaltyAwardPoints", Points.class, (p, c) -> p.awardPoints(c.points()),
                    RewardEvents::pointsAwarded),
            new Variant<Points>("LoyaltyRedeemPoints", Points.class, (p, c) -> p.redeemPoints(c.points()),
                    RewardEvents::pointsRedeemed),
            new Variant<Tier>("LoyaltyAddToTier", Tier.class, (p, c) -> p.addToTier(c.tier()),
                    command -> RewardEvents.TIER_CHANGED),
            new Variant<Tier>("LoyaltyRemoveFromTier", Tier.class, (p, c) -> p.removeFromTier(c.tier()),
                    command -> RewardEvents.TIER_CHANGED),
            new Variant<Achievement>("AssignContactAchievement", Achievement.class,
                    (p, c) -> p.addAchievement(c.achievement()),
                    command -> RewardEvents.ACHIEVEMENT_ASSIGNED));

    private final ProfileChanges changes;

    public ProfileAction(ProfileChanges changes) {
        this.changes = changes;
    }

    @Override
    public Set<String> actions() {
        return VARIANTS.keySet();
    }

    @Override
    public Class<? extends Record> configType(String action) {
        return VARIANTS.get(action).config();
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, Record config, SqlConnection tx) {
        Variant<?> variant = VARIANTS.get(command.action());
        return changes.apply(command, tx, variant.bound(config), variant.events().apply(command));
    }
}
