package io.engageflow.runtime.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.catalog.ActionCatalog;
import io.engageflow.contracts.catalog.ActionSpec;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.runtime.actions.ActionOutcome;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a command of a test run is taken: the catalog alone decides, and the flag survives reading and preparing. */
class TestModeTest {
    private static ActionCommand command(String action, Map<String, Object> config, boolean test) {
        return new ActionCommand("i-1:s1:1", "i-1", "s1", 1, "ws", action, config, ContactSnapshot.ofId("c-1"), null,
                null, null, test);
    }

    @Test
    void aTestCommandOfAFilterRunsRolledBackAndOfEveryOtherActionIsNotPerformed() {
        assertThat(TestMode.of(command("ContactFilter", Map.of(), true))).isEqualTo(TestMode.RUN_ROLLED_BACK);
        assertThat(TestMode.of(command("GameplayFilter", Map.of(), true))).isEqualTo(TestMode.RUN_ROLLED_BACK);
        for (ActionSpec spec : ActionCatalog.all()) {
            if (!spec.name().endsWith("Filter")) {
                // SalesforceGetObject only reads, but at a provider: not performed either
                assertThat(TestMode.of(command(spec.name(), Map.of(), true))).as(spec.name())
                        .isEqualTo(TestMode.NOT_PERFORMED);
            }
            assertThat(TestMode.of(command(spec.name(), Map.of(), false))).as(spec.name()).isEqualTo(TestMode.REAL);
        }
        // an action no service has: not performed in a test run (the pipeline answers UnknownAction before this)
        assertThat(TestMode.of(command("NoSuchAction", Map.of(), true))).isEqualTo(TestMode.NOT_PERFORMED);
    }

    @Test
    void whatANotPerformedCommandAnswersIsSuccessWithItsConfigAsItWouldHaveBeenSent() {
        ActionCommand prepared = CommandPipeline.prepared(command("HttpRequest",
                Map.of("url", "https://hooks.example/x", "body", Map.of("a", 1)), true));
        ActionOutcome outcome = TestMode.notPerformed(prepared);

        assertThat(outcome.path()).isEqualTo("Success");
        assertThat(outcome.error()).isNull();
        // the catalog's defaults are filled in: what the real action would have used
        assertThat(outcome.outputs()).isEqualTo(Map.of("test", true, "wouldSend", Map.of(
                "url", "https://hooks.example/x", "body", Map.of("a", 1), "method", "POST", "timeoutMs", 10000)));
    }

    @Test
    void theTestFlagIsReadFromTheWireAndKeptWhenTheCommandIsPrepared() {
        ActionCommand sent = command("ContactCouponIssue", Map.of("offer", "10% Discount"), true);
        String json = JsonCodec.encode(sent);
        assertThat(json).contains("\"test\":true");
        ActionCommand read = CommandReader.read(json).value();
        assertThat(read.test()).isTrue();

        ActionCommand prepared = CommandPipeline.prepared(read);
        assertThat(prepared.test()).isTrue();
        assertThat(prepared.config()).containsEntry("quantity", 1).containsEntry("allowPartialAward", false);
        assertThat(TestMode.of(prepared)).isEqualTo(TestMode.NOT_PERFORMED);
    }

    @Test
    void aRealCommandHasNoTestFieldOnTheWireAndStaysReal() {
        String json = JsonCodec.encode(command("ContactCouponIssue", Map.of("offer", "o"), false));
        assertThat(json).doesNotContain("\"test\"");
        ActionCommand prepared = CommandPipeline.prepared(CommandReader.read(json).value());
        assertThat(prepared.test()).isFalse();
        assertThat(TestMode.of(prepared)).isEqualTo(TestMode.REAL);
    }
}
