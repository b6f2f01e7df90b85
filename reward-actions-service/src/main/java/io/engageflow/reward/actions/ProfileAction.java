package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.reward.actions.ProfileChanges.Events;
import io.engageflow.reward.config.RewardSettings;
import io.engageflow.reward.domain.ProfileChange;
import io.engageflow.reward.domain.RewardProfile;
import io.engageflow.runtime.actions.ActionConfig;
import io.engageflow.runtime.actions.ActionConfig.Required;
import io.engageflow.runtime.actions.ActionConfig.WholeAbove;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.TypedLocalAction;
import io.engageflow.runtime.actions.Variants;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 *   <li>AssignContactAchievement awards a badge, one the contact has is kept once (Achievement.Assigned);</li>
 *   <li>AssignBonusCompetitionEntries adds entries to a competition: the config's, else the trigger's
 *       {@code competitionId};</li>
 *   <li>ContactVaultCardIssue issues a digital wallet card from a template;</li>
 *   <li>AssignGameplayScore records a gameplay score.</li>
 * </ul>
 * A config the rule cannot apply (no competition, a score that is no number) is the step's InvalidConfig, and the
 * profile is not touched.
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

    /** How many entries, and the competition unless the trigger names it. */
    record Entries(@WholeAbove(0) long entries, String competitionId) {
    }

    /** The card's template. */
    record Card(@Required String cardTemplate) {
    }

    /** The score (null when not a number: refused by {@link #score}, which names it as sent), and its context. */
    record Score(BigDecimal score, String context) {
    }

    /** What an action makes of its command: the rule to apply to the contact's profile, or why there is none. */
    @FunctionalInterface
    interface Rule<C> {
        Decoded<Function<RewardProfile, ProfileChange>> of(ActionCommand command, C config);
    }

    /** A catalog action this handler serves: its config, the rule it applies, and the events a change fires. */
    record Variant<C extends Record>(String action, Class<C> config, Rule<C> rule,
                                     Function<ActionCommand, Events> events) {
        /** An action whose rule applies to any config the pipeline decodes. */
        static <C extends Record> Variant<C> always(String action, Class<C> config,
                                                    BiFunction<RewardProfile, C, ProfileChange> rule,
                                                    Function<ActionCommand, Events> events) {
            return new Variant<>(action, config, (command, c) -> Decoded.ok(profile -> rule.apply(profile, c)),
                    events);
        }

        Decoded<Function<RewardProfile, ProfileChange>> bound(ActionCommand command, Record decoded) {
            return rule.of(command, config.cast(decoded));
        }
    }

    private final Map<String, Variant<?>> variants;
    private final ProfileChanges changes;
    private final String cardLinkBase;

    public ProfileAction(ProfileChanges changes, RewardSettings settings) {
        this.changes = changes;
        this.cardLinkBase = settings.cardLinkBase().replaceAll("/$", "");
        this.variants = Variants.byAction(Variant::action,
                Variant.always("LoyaltyAwardPoints", Points.class, (p, c) -> p.awardPoints(c.points()),
                        RewardEvents::pointsAwarded),
                Variant.always("LoyaltyRedeemPoints", Points.class, (p, c) -> p.redeemPoints(c.points()),
                        RewardEvents::pointsRedeemed),
                Variant.always("LoyaltyAddToTier", Tier.class, (p, c) -> p.addToTier(c.tier()),
                        command -> RewardEvents.TIER_CHANGED),
                Variant.always("LoyaltyRemoveFromTier", Tier.class, (p, c) -> p.removeFromTier(c.tier()),
                        command -> RewardEvents.TIER_CHANGED),
                Variant.always("AssignContactAchievement", Achievement.class,
                        (p, c) -> p.addAchievement(c.achievement()),
                        command -> RewardEvents.ACHIEVEMENT_ASSIGNED),
                new Variant<>("AssignBonusCompetitionEntries", Entries.class, ProfileAction::entries,
                        command -> Events.NONE),
                Variant.always("ContactVaultCardIssue", Card.class, this::issueCard, command -> Events.NONE),
                new Variant<>("AssignGameplayScore", Score.class, ProfileAction::score, command -> Events.NONE));
    }

    @Override
    public Set<String> actions() {
        return variants.keySet();
    }

    @Override
    public Class<? extends Record> configType(String action) {
        return variants.get(action).config();
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, Record config, SqlConnection tx) {
        Variant<?> variant = variants.get(command.action());
        Decoded<Function<RewardProfile, ProfileChange>> rule = variant.bound(command, config);
        return rule.isOk() ? changes.apply(command, tx, rule.value(), variant.events().apply(command))
                : Uni.createFrom().item(ActionConfig.invalid(rule));
    }

    private static Decoded<Function<RewardProfile, ProfileChange>> entries(ActionCommand command, Entries config) {
        String competition = config.competitionId();
        if (competition == null && command.trigger() != null) {
            competition = ConfigValues.string(command.trigger().data(), "competitionId");
        }
        if (competition == null) {
            return Decoded.failed("no competitionId in the config or the trigger");
        }
        String competitionId = competition;
        return Decoded.ok(p -> p.addEntries(competitionId, config.entries()));
    }

    private ProfileChange issueCard(RewardProfile profile, Card config) {
        String id = UUID.randomUUID().toString();
        return profile.issueCard(id, cardLinkBase + "/" + id, config.cardTemplate(), Instant.now());
    }

    private static Decoded<Function<RewardProfile, ProfileChange>> score(ActionCommand command, Score config) {
        if (config.score() == null) {
            return Decoded.failed("score must be a number, got " + command.config().get("score"));
        }
        return Decoded.ok(p -> p.addScore(config.score(), config.context(), Instant.now()));
    }
}
