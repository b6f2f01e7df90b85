package io.engageflow.reward.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.runtime.actions.ActionOutcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** The rules of a contact's reward profile without a database: outcomes, and what is stored (or not). */
class RewardProfileTest {
    private static final Instant AT = Instant.parse("2026-06-01T12:00:00Z");

    private static RewardProfile withPoints(long points) {
        return RewardProfile.EMPTY.awardPoints(points).changed();
    }

    @Test
    void aRedeemBeyondTheBalanceTakesInsufficientPointsAndStoresNothing() {
        ProfileChange tooMuch = withPoints(75).redeemPoints(100);
        assertThat(tooMuch.outcome()).isEqualTo(ActionOutcome.path("InsufficientPoints",
                Map.of("total_points", 75L, "points_requested", 100L)));
        assertThat(tooMuch.changed()).isNull();

        ProfileChange all = withPoints(75).redeemPoints(75);
        assertThat(all.outcome()).isEqualTo(ActionOutcome.success(Map.of("points_redeemed", 75L,
                "total_points", 0L)));
        assertThat(all.changed().points()).isZero();
    }

    @Test
    void pointsAddUpAndABalancePastTheLargestValueIsRefusedNotWrapped() {
        ProfileChange more = withPoints(50).awardPoints(25);
        assertThat(more.outcome()).isEqualTo(ActionOutcome.success(Map.of("points_awarded", 25L,
                "total_points", 75L)));
        assertThat(more.changed().points()).isEqualTo(75);

        ProfileChange overflow = withPoints(Long.MAX_VALUE - 1).awardPoints(2);
        assertThat(overflow.outcome().error().code()).isEqualTo("InvalidConfig");
        assertThat(overflow.changed()).isNull();
    }

    @Test
    void removingATierTheContactIsNotInChangesNothing() {
        RewardProfile gold = RewardProfile.EMPTY.addToTier("Gold").changed();
        assertThat(gold.tier()).isEqualTo("Gold");
        ProfileChange silver = gold.removeFromTier("Silver");
        assertThat(silver.outcome().outputs()).isEqualTo(Map.of("removed", false));
        assertThat(silver.changed()).isNull();
        ProfileChange removed = gold.removeFromTier("Gold");
        assertThat(removed.outcome().outputs()).isEqualTo(Map.of("removed", true));
        assertThat(removed.changed().tier()).isNull();
        assertThat(gold.addToTier("Platinum").outcome().outputs()).isEqualTo(Map.of("tier", "Platinum", "previous_tier", "Gold"));
    }

    @Test
    void anAchievementIsHeldOnceAndEntriesAddUpPerCompetition() {
        RewardProfile first = RewardProfile.EMPTY.addAchievement("First Entry").changed();
        ProfileChange again = first.addAchievement("First Entry");
        assertThat(again.outcome().outputs()).isEqualTo(Map.of("achievement", "First Entry", "added", false));
        assertThat(again.changed()).isNull();
        assertThat(first.addAchievement("Winner").changed().achievements()).containsExactly("First Entry", "Winner");

        RewardProfile three = first.addEntries("summer", 3).changed();
        ProfileChange five = three.addEntries("summer", 2);
        assertThat(five.outcome().outputs()).isEqualTo(Map.of("competition_id", "summer", "total_entries", 5L));
        assertThat(five.changed().addEntries("winter", 1).changed().entries())
                .isEqualTo(Map.of("summer", 5L, "winter", 1L));
        assertThat(five.changed().achievements()).containsExactly("First Entry");
    }

    @Test
    void cardsAndScoresAreAppendedAndTheRestIsKept() {
        RewardProfile gold = withPoints(10).addToTier("Gold").changed();
        ProfileChange card = gold.issueCard("card-1", "https://r/card-1", "member", AT);
        assertThat(card.outcome().outputs()).isEqualTo(Map.of("card_id", "card-1", "card_link", "https://r/card-1"));
        ProfileChange scored = card.changed().addScore(new BigDecimal("120"), "level 1", AT);
        RewardProfile after = scored.changed().addScore(new BigDecimal("7.5"), null, AT).changed();
        assertThat(after.cards()).isEqualTo(List.of(Map.of("id", "card-1", "link", "https://r/card-1",
                "template", "member", "issuedAt", "2026-06-01T12:00:00Z")));
        assertThat(after.scores()).extracting(s -> s.get("score").toString(), s -> s.get("context"))
                .containsExactly(Tuple.tuple("120", "level 1"),
                        Tuple.tuple("7.5", null));
        assertThat(after.points()).isEqualTo(10);
        assertThat(after.tier()).isEqualTo("Gold");
    }
}
