package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.reward.domain.ProfileChange;
import io.engageflow.reward.domain.RewardConfig;
import io.engageflow.reward.domain.RewardProfile;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
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
public record ProfileAction(Variant variant, ProfileChanges changes) implements LocalAction {
    /** Points to award or redeem: a whole number above 0. */
    record Points(long points) {
        static Decoded<Points> of(ActionCommand command) {
            return RewardConfig.wholeAboveZero(command.config(), "points").map(Points::new);
        }
    }

    record Tier(String tier) {
        static Decoded<Tier> of(ActionCommand command) {
            return RewardConfig.text(command.config(), "tier").map(Tier::new);
        }
    }

    record Achievement(String achievement) {
        static Decoded<Achievement> of(ActionCommand command) {
            return RewardConfig.text(command.config(), "achievement").map(Achievement::new);
        }
    }

    /** A variant's rule, bound to its config as the command gives it (or the reason the config cannot be read). */
    interface Rule extends Function<ActionCommand, Decoded<Function<RewardProfile, ProfileChange>>> {
        static <C> Rule of(Function<ActionCommand, Decoded<C>> config, BiFunction<RewardProfile, C, ProfileChange> rule) {
            return command -> config.apply(command).map(c -> profile -> rule.apply(profile, c));
        }
    }

    /** The catalog actions this handler serves: the rule each applies, and the events a change fires. */
    enum Variant {
        AWARD_POINTS("LoyaltyAwardPoints", Rule.of(Points::of, (p, c) -> p.awardPoints(c.points())),
                RewardEvents::pointsAwarded),
        REDEEM_POINTS("LoyaltyRedeemPoints", Rule.of(Points::of, (p, c) -> p.redeemPoints(c.points())),
                RewardEvents::pointsRedeemed),
        ADD_TO_TIER("LoyaltyAddToTier", Rule.of(Tier::of, (p, c) -> p.addToTier(c.tier())),
                command -> RewardEvents.TIER_CHANGED),
        REMOVE_FROM_TIER("LoyaltyRemoveFromTier", Rule.of(Tier::of, (p, c) -> p.removeFromTier(c.tier())),
                command -> RewardEvents.TIER_CHANGED),
        ASSIGN_ACHIEVEMENT("AssignContactAchievement",
                Rule.of(Achievement::of, (p, c) -> p.addAchievement(c.achievement())),
                command -> RewardEvents.ACHIEVEMENT_ASSIGNED);

        final String action;
        final Rule rule;
        final Function<ActionCommand, ProfileChanges.Events> events;

        Variant(String action, Rule rule, Function<ActionCommand, ProfileChanges.Events> events) {
            this.action = action;
            this.rule = rule;
            this.events = events;
        }
    }

    /** One handler bean per variant: the registry takes one for each catalog action. */
    @Dependent
    static class Variants {
        @Produces
        @Singleton
        ProfileAction awardPoints(ProfileChanges changes) {
            return new ProfileAction(Variant.AWARD_POINTS, changes);
        }

        @Produces
        @Singleton
        ProfileAction redeemPoints(ProfileChanges changes) {
            return new ProfileAction(Variant.REDEEM_POINTS, changes);
        }

        @Produces
        @Singleton
        ProfileAction addToTier(ProfileChanges changes) {
            return new ProfileAction(Variant.ADD_TO_TIER, changes);
        }

        @Produces
        @Singleton
        ProfileAction removeFromTier(ProfileChanges changes) {
            return new ProfileAction(Variant.REMOVE_FROM_TIER, changes);
        }

        @Produces
        @Singleton
        ProfileAction assignAchievement(ProfileChanges changes) {
            return new ProfileAction(Variant.ASSIGN_ACHIEVEMENT, changes);
        }
    }

    @Override
    public String action() {
        return variant.action;
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        return changes.apply(command, tx, variant.rule.apply(command), (profile, rule) -> rule.apply(profile),
                variant.events.apply(command));
    }
}
