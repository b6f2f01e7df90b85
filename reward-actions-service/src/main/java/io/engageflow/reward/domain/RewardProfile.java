package io.engageflow.reward.domain;

import com.fasterxml.jackson.core.type.TypeReference;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.OutputPaths;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.runtime.actions.ActionOutcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a contact holds besides coupons — points, tier, achievements, competition entries, wallet cards, scores — and
 * the rules that change it. Each rule returns a {@link ProfileChange}. The caller holds the profile's row locked from
 * reading it to storing the change, so concurrent commands for one contact apply one after the other (points never
 * go negative, no change is lost to a race). The lists stay JSON text until a rule reads them: a points change never
 * parses the scores.
 */
public record RewardProfile(long points, String tier, String achievementsJson, String entriesJson, String cardsJson,
                            String scoresJson) {
    /** A contact's profile before anything was given to it. */
    public static final RewardProfile EMPTY = new RewardProfile(0, null, "[]", "{}", "[]", "[]");

    public ProfileChange awardPoints(long amount) {
        if (points > Long.MAX_VALUE - amount) {
            return ProfileChange.none(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG,
                    "awarding " + amount + " points would take the balance of " + points + " past its largest value"));
        }
        long total = points + amount;
        return ProfileChange.to(withPoints(total),
                ActionOutcome.success(Map.of("points_awarded", amount, "total_points", total)));
    }

    /** A balance too small takes InsufficientPoints and is left as it is. */
    public ProfileChange redeemPoints(long amount) {
        if (points < amount) {
            return ProfileChange.none(ActionOutcome.path(OutputPaths.INSUFFICIENT_POINTS,
                    Map.of("total_points", points, "points_requested", amount)));
        }
        long total = points - amount;
        return ProfileChange.to(withPoints(total),
                ActionOutcome.success(Map.of("points_redeemed", amount, "total_points", total)));
    }

    /** A contact is in one tier at a time. */
    public ProfileChange addToTier(String newTier) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tier", newTier);
        out.put("previous_tier", tier);
        return ProfileChange.to(withTier(newTier), ActionOutcome.success(out));
    }

    /** Takes the contact out of the tier if it is in it; not in it is still Success and changes nothing. */
    public ProfileChange removeFromTier(String oldTier) {
        boolean removed = oldTier.equals(tier);
        ActionOutcome outcome = ActionOutcome.success(Map.of("removed", removed));
        return removed ? ProfileChange.to(withTier(null), outcome) : ProfileChange.none(outcome);
    }

    /** A badge the contact already has is kept once. */
    public ProfileChange addAchievement(String achievement) {
        List<String> all = achievements();
        boolean added = !all.contains(achievement);
        ActionOutcome outcome = ActionOutcome.success(Map.of("achievement", achievement, "added", added));
        if (!added) {
            return ProfileChange.none(outcome);
        }
        List<String> more = new ArrayList<>(all);
        more.add(achievement);
        return ProfileChange.to(new RewardProfile(points, tier, JsonCodec.encode(more), entriesJson, cardsJson,
                scoresJson), outcome);
    }

    public ProfileChange addEntries(String competitionId, long entries) {
        Map<String, Long> all = new LinkedHashMap<>(entries());
        Long total = all.getOrDefault(competitionId, 0L);
        if (total > Long.MAX_VALUE - entries) {
            return ProfileChange.none(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG,
                    "adding " + entries + " entries would take " + competitionId + " past its largest count"));
        }
        all.put(competitionId, total + entries);
        return ProfileChange.to(new RewardProfile(points, tier, achievementsJson, JsonCodec.encode(all), cardsJson,
                scoresJson), ActionOutcome.success(Map.of("competition_id", competitionId,
                "total_entries", total + entries)));
    }

    public ProfileChange issueCard(String id, String link, String template, Instant at) {
        List<Map<String, Object>> all = new ArrayList<>(cards());
        all.add(Map.of("id", id, "link", link, "template", template, "issuedAt", at.toString()));
        return ProfileChange.to(new RewardProfile(points, tier, achievementsJson, entriesJson, JsonCodec.encode(all),
                scoresJson), ActionOutcome.success(Map.of("card_id", id, "card_link", link)));
    }

    public ProfileChange addScore(BigDecimal score, String context, Instant at) {
        List<Map<String, Object>> all = new ArrayList<>(scores());
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("score", score);
        entry.put("context", context);
        entry.put("at", at.toString());
        all.add(entry);
        return ProfileChange.to(new RewardProfile(points, tier, achievementsJson, entriesJson, cardsJson,
                JsonCodec.encode(all)), ActionOutcome.success(Map.of("score", score)));
    }

    public List<String> achievements() {
        return JsonCodec.read(achievementsJson, new TypeReference<List<String>>() { });
    }

    public Map<String, Long> entries() {
        return JsonCodec.read(entriesJson, new TypeReference<LinkedHashMap<String, Long>>() { });
    }

    public List<Map<String, Object>> cards() {
        return JsonCodec.read(cardsJson, new TypeReference<ArrayList<Map<String, Object>>>() { });
    }

    public List<Map<String, Object>> scores() {
        return JsonCodec.read(scoresJson, new TypeReference<ArrayList<Map<String, Object>>>() { });
    }

    private RewardProfile withPoints(long newPoints) {
        return new RewardProfile(newPoints, tier, achievementsJson, entriesJson, cardsJson, scoresJson);
    }

    private RewardProfile withTier(String newTier) {
        return new RewardProfile(points, newTier, achievementsJson, entriesJson, cardsJson, scoresJson);
    }
}
