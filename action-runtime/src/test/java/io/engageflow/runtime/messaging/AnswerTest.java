package io.engageflow.runtime.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.runtime.actions.ActionOutcome;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerTest {
    private static final ActionCommand COMMAND = new ActionCommand("i-1:s1:1", "i-1", "s1", 1, "ws",
            "SalesforceGetObject", Map.of(), ContactSnapshot.ofId("c-1"), null, null, null);

    @Test
    void aResultThatFitsIsPublishedAsItIs() {
        ActionOutcome outcome = ActionOutcome.success(Map.of("object", Map.of("Id", "003")));
        Answer answer = Answer.of(COMMAND, outcome, 10_000);
        ActionResult published = JsonCodec.read(answer.json(), ActionResult.class);
        assertThat(published.path()).isEqualTo("Success");
        assertThat(published.outputs()).isEqualTo(Map.of("object", Map.of("Id", "003")));
        assertThat(answer.record().topic()).isEqualTo("actions.results");
        assertThat(answer.record().key()).isEqualTo("i-1");
        assertThat(answer.record().value()).isEqualTo(answer.json());
    }

    /** Sizes are UTF-8 bytes as the broker counts them: 3,000 '€' are 3,000 chars but 9,000 bytes. */
    @Test
    void aResultLargerThanARecordMayBeBecomesPayloadTooLargeAndKeepsWhatTheHandlerDid() {
        ActionOutcome outcome = ActionOutcome.success(Map.of("text", "€".repeat(3_000)));
        Answer answer = Answer.of(COMMAND, outcome, 8_000);
        ActionResult published = JsonCodec.read(answer.json(), ActionResult.class);
        assertThat(published.path()).isEqualTo("Failure");
        assertThat(published.error().code()).isEqualTo("PayloadTooLarge");
        assertThat(published.error().message()).contains("SalesforceGetObject").contains("more than the 8000");
        assertThat(published.outputs()).isEmpty();
        assertThat(published.commandId()).isEqualTo("i-1:s1:1");
        assertThat(answer.result()).isEqualTo(published);
        assertThat(answer.outcome()).as("bookkeeping sees the real outcome").isEqualTo(outcome);
        assertThat(answer.record().bytes()).isLessThanOrEqualTo(8_000);
    }
}
