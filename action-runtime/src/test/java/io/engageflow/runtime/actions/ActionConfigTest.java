package io.engageflow.runtime.actions;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.json.Decoded;
import io.engageflow.runtime.actions.ActionConfig.AsWritten;
import io.engageflow.runtime.actions.ActionConfig.Required;
import io.engageflow.runtime.actions.ActionConfig.WholeAbove;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A config record read the way the catalog's values arrive: templates render numbers and lists as text. */
class ActionConfigTest {
    record Points(@WholeAbove(0) long points) {
    }

    record Tier(@Required String tier) {
    }

    record Card(String cardTemplateId, BigDecimal cardValue, String deliveryMethod) {
    }

    record Tags(List<String> tags) {
    }

    record Event(String eventName, Map<?, ?> properties) {
    }

    record Filter(@AsWritten String condition) {
    }

    record Coupons(String offer, boolean allowPartialAward) {
    }

    record Webhook(String url, Object body) {
    }

    private static <C> Decoded<C> decode(Class<C> type, String action, Map<String, Object> config) {
        return ActionConfig.<C>of(type, ActionConfig.specs(List.of(action))).decode(config);
    }

    @Test
    void aRefusedValueIsTheStepsInvalidConfigWithTheMessageTheActionsGaveBefore() {
        assertThat(decode(Points.class, "LoyaltyAwardPoints", Map.of("points", "3")).value())
                .isEqualTo(new Points(3));
        Decoded<Points> fraction = decode(Points.class, "LoyaltyAwardPoints", Map.of("points", "2.5"));
        assertThat(fraction.errors()).containsExactly("points must be a whole number above 0, got 2.5");
        assertThat(ActionConfig.invalid(fraction)).isEqualTo(ActionOutcome.failure("InvalidConfig",
                "points must be a whole number above 0, got 2.5"));
        assertThat(decode(Points.class, "LoyaltyRedeemPoints", Map.of("points", 0)).errors())
                .containsExactly("points must be a whole number above 0, got 0");
        assertThat(decode(Points.class, "LoyaltyAwardPoints", Map.of()).errors())
                .containsExactly("points must be a whole number above 0, got null");
        assertThat(decode(Tier.class, "LoyaltyAddToTier", Map.of("tier", " ")).errors())
                .containsExactly("tier is required");
    }

    @Test
    void aValueWithoutARuleIsReadLikeConfigValuesAndAbsentWhenItIsNotOfItsKind() {
        assertThat(decode(Card.class, "LocalCardSendCardFromTemplate",
                Map.of("cardTemplateId", "t-1", "cardValue", "$25", "deliveryMethod", "")).value())
                .isEqualTo(new Card("t-1", new BigDecimal("25"), null));
        assertThat(decode(Card.class, "LocalCardSendCardFromTemplate", Map.of("cardValue", "lots")).value())
                .isEqualTo(new Card(null, null, null));
        assertThat(decode(Tags.class, "CompetitionEntryAddTags", Map.of("tags", "a, b")).value().tags())
                .containsExactly("a", "b");
        assertThat(decode(Tags.class, "CompetitionEntryAddTags", Map.of("tags", "[\"a\",\"b c\"]")).value().tags())
                .containsExactly("a", "b c");
        assertThat(decode(Event.class, "BrazeTrackUser", Map.of("eventName", "Won", "properties", "text")).value())
                .isEqualTo(new Event("Won", null));
        assertThat(decode(Event.class, "BrazeTrackUser", Map.of("eventName", "Won", "properties", Map.of("a", 1)))
                .value().properties()).isEqualTo(Map.of("a", 1));
    }

    @Test
    void aFlagIsTrueOnlyWhenSentAsTrueOrItsText() {
        assertThat(decode(Coupons.class, "ContactCouponIssue", Map.of("allowPartialAward", true)).value()
                .allowPartialAward()).isTrue();
        assertThat(decode(Coupons.class, "ContactCouponIssue", Map.of("allowPartialAward", "TRUE")).value()
                .allowPartialAward()).isTrue();
        assertThat(decode(Coupons.class, "ContactCouponIssue", Map.of("allowPartialAward", "yes")).value()
                .allowPartialAward()).isFalse();
        assertThat(decode(Coupons.class, "ContactCouponIssue", Map.of()).value().allowPartialAward()).isFalse();
    }

    @Test
    void anObjectIsTheValueAsSent() {
        assertThat(decode(Webhook.class, "HttpRequest", Map.of("url", "https://x.example", "body", List.of(1, "a")))
                .value().body()).isEqualTo(List.of(1, "a"));
        assertThat(decode(Webhook.class, "HttpRequest", Map.of("body", " ")).value().body()).isEqualTo(" ");
        assertThat(decode(Webhook.class, "HttpRequest", Map.of()).value().body()).isNull();
    }

    @Test
    void aTextAsWrittenKeepsBlankAndAbsentForItsOwnReaderToJudge() {
        assertThat(decode(Filter.class, "ContactFilter", Map.of("condition", " ")).value())
                .isEqualTo(new Filter(" "));
        assertThat(decode(Filter.class, "ContactFilter", Map.of()).value()).isEqualTo(new Filter("null"));
        assertThat(decode(Filter.class, "ContactFilter", Map.of("condition", "contact.age > 18")).value())
                .isEqualTo(new Filter("contact.age > 18"));
    }
}
