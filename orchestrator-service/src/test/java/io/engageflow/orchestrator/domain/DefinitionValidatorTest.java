package io.engageflow.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.orchestrator.domain.definition.DefinitionParser;
import io.engageflow.orchestrator.domain.definition.DefinitionValidator;
import io.engageflow.orchestrator.domain.definition.ValidationError;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefinitionValidatorTest {

    private static List<ValidationError> check(String json) {
        return DefinitionValidator.check(DefinitionParser.parse(json));
    }

    @Test
    void theContractsExampleIsValidAndStepsWithoutIdGetOne() {
        String json = """
                {"name": "Competition coupons",
                 "trigger": {"type": "Competition.EntrySubmitted", "condition": "trigger.data.score > 100"},
                 "steps": [
                   {"id": "coupons", "action": "ContactCouponIssue",
                    "config": {"offer": "10% Discount", "quantity": 3, "contactLimit": 5, "allowPartialAward": true},
                    "paths": {
                      "Success": [{"action": "ContactEmailSend", "config": {
                          "subject": "You won {{steps.coupons.coupon_count}} coupons",
                          "body": "Hi {{contact.firstName}}, codes: {{steps.coupons.coupon_code}}"}}],
                      "OfferLimitsExceeded": [{"action": "ContactEmailSend",
                          "config": {"subject": "Limit reached", "body": "…"}}]}},
                   {"action": "LoyaltyAwardPoints", "config": {"points": 50, "reason": "entry"}}]}""";
        assertThat(check(json)).isEmpty();
        var parsed = DefinitionParser.parse(json);
        assertThat(parsed.definition().allSteps()).extracting(s -> s.id())
                .containsExactly("coupons", "step-1", "step-2", "step-3");
        assertThat(parsed.normalized().at("/steps/1/id").asText()).isEqualTo("step-3");
    }

    @Test
    void everyKindOfMistakeIsReportedAtItsPath() {
        List<ValidationError> errors = check("""
                {"name": "bad", "trigger": {"type": "Nope", "condition": "trigger.data.score >"},
                 "steps": [
                   {"id": "a", "action": "ContactCouponIssue", "config": {"quantity": "three", "qty": 1},
                    "paths": {"InsufficientPoints": []}},
                   {"id": "a", "action": "Teleport"},
                   {"id": "f", "action": "ContactFilter", "config": {"condition": "contact.email =="}},
                   {"id": "m", "action": "ContactEmailSend", "config": {"subject": "{{steps.ghost.x}}"}},
                   {"id": "d", "action": "Delay", "config": {"duration": "tomorrow"}},
                   {"id": "s", "action": "Split", "branches": []}
                 ]}""");
        assertThat(errors).extracting(ValidationError::path).contains(
                "trigger.type", "trigger.condition", "steps[0].config.quantity", "steps[0].config.qty",
                "steps[0].config.offer", "steps[0].paths.InsufficientPoints", "steps[1].action",
                "steps[2].config.condition", "steps[3].config.subject", "steps[3].config", "steps[4].config.duration",
                "steps[5].branches", "steps");
        assertThat(errors).anySatisfy(e -> assertThat(e.message()).isEqualTo("duplicate step id a"));
        assertThat(errors).anySatisfy(e -> assertThat(e.message())
                .isEqualTo("ContactCouponIssue never takes path InsufficientPoints; its paths are "
                        + "[Success, OfferLimitsExceeded, OfferExpired, Failure]"));
    }

    @Test
    void malformedJsonAndMissingPartsAreErrorsToo() {
        assertThat(check("{\"name\": ")).singleElement().extracting(ValidationError::path).isEqualTo("$");
        assertThat(check("{\"name\": \"x\"}")).extracting(ValidationError::path).containsExactly("trigger", "steps");
    }
}
