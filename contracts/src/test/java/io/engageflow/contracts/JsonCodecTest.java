package io.engageflow.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.contracts.json.JsonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

    @ParameterizedTest
    @CsvSource({"trigger-event.json,io.engageflow.contracts.TriggerEvent",
            "action-command.json,io.engageflow.contracts.ActionCommand",
            "action-result.json,io.engageflow.contracts.ActionResult",
            "workflow-event.json,io.engageflow.contracts.WorkflowEvent"})
    void goldenSamplesRoundTripWithoutLosingAField(String file, Class<?> type) throws IOException {
        String golden = golden(file);
        Decoded<?> decoded = JsonCodec.decode(golden, type);
        assertThat(decoded.errors()).isEmpty();
        JsonNode again = JsonCodec.parse(JsonCodec.encode(decoded.value())).value();
        JsonNode original = JsonCodec.parse(golden).value();
        // null fields are left out on encode; every non-null field survives with its value
        ((com.fasterxml.jackson.databind.node.ObjectNode) original).remove("error");
        ((com.fasterxml.jackson.databind.node.ObjectNode) again).remove("error");
        assertThat(again).isEqualTo(original);
    }

    @Test
    void triggerFieldsAreReadAsTheContractNamesThem() throws IOException {
        TriggerEvent t = JsonCodec.decode(golden("trigger-event.json"), TriggerEvent.class).value();
        assertThat(t.eventId()).isEqualTo("6f1c-0001");
        assertThat(t.occurredAt()).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
        assertThat(t.contact().firstName()).isEqualTo("Ann");
        assertThat(t.contact().properties()).containsEntry("city", "Oslo");
        assertThat(t.data()).containsEntry("score", 120);
    }

    @Test
    void malformedEmptyAndOversizedRecordsComeBackAsErrorsNotExceptions() {
        assertThat(JsonCodec.decode("{not json", TriggerEvent.class).errors()).singleElement().asString()
                .startsWith("malformed JSON");
        assertThat(JsonCodec.decode("", TriggerEvent.class).errors()).containsExactly("empty record");
        assertThat(JsonCodec.decode("{} {}", TriggerEvent.class).isOk()).isFalse();
        String huge = "{\"eventId\":\"" + "x".repeat(JsonCodec.MAX_RECORD_CHARS) + "\"}";
        assertThat(JsonCodec.decode(huge, TriggerEvent.class).errors()).singleElement().asString()
                .startsWith("record too large");
        assertThat(JsonCodec.decode("{\"occurredAt\":\"yesterday\"}", TriggerEvent.class).errors())
                .singleElement().asString().startsWith("not a valid TriggerEvent");
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = JsonCodecTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
