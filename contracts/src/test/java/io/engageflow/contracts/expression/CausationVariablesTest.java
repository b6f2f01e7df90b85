package io.engageflow.contracts.expression;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.Causation;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A platform event's causation is a variable: a condition can stop a chain early, a template can name its depth. */
class CausationVariablesTest {
    private static final ContactSnapshot ANN = new ContactSnapshot("c-1", null, null, "Ann", null, Map.of());

    @Test
    void aCausedTriggersChainIsReadableInConditionsAndTemplates() {
        TriggerEvent caused = new TriggerEvent("e-2", "Contact.TagAdded", "acme", null, ANN, Map.of("tag", "t"),
                new Causation("e-root", "i-1", "tag", 2));
        Map<String, Object> vars = Variables.of(ANN, caused, Map.of());
        assertThat(Conditions.evaluate("has(trigger.causation) && trigger.causation.depth >= 2", vars).holds()).isTrue();
        assertThat(Conditions.evaluate("trigger.causation.rootEventId == 'e-root'", vars).holds()).isTrue();
        assertThat(Templates.resolve("tag-{{trigger.causation.depth}} of {{trigger.causation.stepId}}", vars))
                .isEqualTo("tag-2 of tag");
    }

    @Test
    void anOutsideTriggerHasNoCausation() {
        TriggerEvent outside = new TriggerEvent("e-1", "DataCaptured", "acme", null, ANN, Map.of());
        Map<String, Object> vars = Variables.of(ANN, outside, Map.of());
        Conditions.Outcome outcome = Conditions.evaluate("has(trigger.causation)", vars);
        assertThat(outcome.failed()).isFalse();
        assertThat(outcome.holds()).isFalse();
    }
}
