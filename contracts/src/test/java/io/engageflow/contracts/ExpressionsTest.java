package io.engageflow.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.expression.Conditions;
import io.engageflow.contracts.expression.Templates;
import io.engageflow.contracts.expression.Variables;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionsTest {
    private static final ContactSnapshot ANN = new ContactSnapshot("c-42", "ann@example.com", null, "Ann", null,
            Map.of("total_points", 1000, "city", "Oslo"));
    private static final TriggerEvent TRIGGER = new TriggerEvent("e1", "Competition.EntrySubmitted", "acme", null,
            ANN, Map.of("score", 120.5, "prize", "Bike"));
    private static final Map<String, Object> VARS = Variables.of(ANN, TRIGGER,
            Map.of("coupons", Map.of("coupon_code", List.of("A1", "B2"), "coupon_count", 2)));

    @Test
    void conditionsCompareNumbersAcrossIntAndDoubleAndSeeAllThreeVariables() {
        assertThat(Conditions.evaluate("contact.properties.total_points >= 1000", VARS).holds()).isTrue();
        assertThat(Conditions.evaluate("trigger.data.score > 120", VARS).holds()).isTrue();
        assertThat(Conditions.evaluate("steps.coupons.coupon_count == 2", VARS).holds()).isTrue();
        assertThat(Conditions.evaluate("contact.first_name == 'Ann' && contact.city == 'Oslo'", VARS).holds())
                .isTrue();
    }

    @Test
    void emailValidityAsTheReferenceExampleUsesIt() {
        String valid = "has(contact.email) && contact.email.matches('^[^@\\\\s]+@[^@\\\\s]+\\\\.[^@\\\\s]+$')";
        assertThat(Conditions.evaluate(valid, VARS).holds()).isTrue();
        ContactSnapshot noEmail = ContactSnapshot.ofId("c-1");
        assertThat(Conditions.evaluate(valid, Variables.of(noEmail, null, null))).isEqualTo(
                new Conditions.Outcome(false, null));
        ContactSnapshot bad = new ContactSnapshot("c-2", "not-an-email", null, null, null, null);
        assertThat(Conditions.evaluate(valid, Variables.of(bad, null, null)).holds()).isFalse();
    }

    @Test
    void badConditionsAreReportedNotThrown() {
        assertThat(Conditions.check("contact.email ==")).isPresent();
        assertThat(Conditions.check("1 + 2")).get().asString().contains("true or false");
        assertThat(Conditions.check("unknownVar > 1")).isPresent();
        Conditions.Outcome missing = Conditions.evaluate("contact.properties.nope > 1", VARS);
        assertThat(missing.failed()).isTrue();
        assertThat(missing.holds()).isFalse();
    }

    @Test
    void templatesRenderTextListsAsJsonAndKeepTheTypeOfAWholeValue() {
        assertThat(Templates.resolve("Hi {{contact.firstName}} & {{contact.first_name}}, codes: "
                + "{{steps.coupons.coupon_code}}", VARS)).isEqualTo("Hi Ann & Ann, codes: [\"A1\",\"B2\"]");
        assertThat(Templates.resolve("{{steps.coupons.coupon_count}}", VARS)).isEqualTo(2);
        assertThat(Templates.resolve("You won a {{trigger.data.prize}}!{{missing.value}}", VARS))
                .isEqualTo("You won a Bike!");
        assertThat(Templates.resolveAll(Map.of("fields", Map.of("Email", "{{contact.email}}")), VARS))
                .isEqualTo(Map.of("fields", Map.of("Email", "ann@example.com")));
        assertThat(Templates.references("{{ steps.a.x }} and {{contact.email}}"))
                .containsExactly("steps.a.x", "contact.email");
    }
}
