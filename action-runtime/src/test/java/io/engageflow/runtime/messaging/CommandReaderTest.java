package io.engageflow.runtime.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.contracts.json.JsonCodec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandReaderTest {
    private static ActionCommand command(String commandId, String instanceId, ContactSnapshot contact) {
        return new ActionCommand(commandId, instanceId, "s1", 1, "ws", "HttpRequest", Map.of("url", "https://x"),
                contact, null, null, null);
    }

    @Test
    void aCompleteCommandIsRead() {
        ActionCommand sent = command("i-1:s1:1", "i-1", ContactSnapshot.ofId("c-1"));
        Decoded<ActionCommand> read = CommandReader.read(JsonCodec.encode(sent));
        assertThat(read.isOk()).isTrue();
        assertThat(read.value()).isEqualTo(sent);
    }

    @Test
    void everyMissingRequiredFieldIsNamed() {
        Decoded<ActionCommand> read = CommandReader.read("{\"commandId\":\"c\",\"attempt\":1,\"contact\":{}}");
        assertThat(read.errors()).containsExactly("instanceId is required", "stepId is required",
                "workspaceId is required", "action is required", "contact.id is required");
        assertThat(CommandReader.read("{\"commandId\":\" \",\"instanceId\":\"i\",\"stepId\":\"s\","
                + "\"workspaceId\":\"w\",\"action\":\"a\"}").errors())
                .containsExactly("commandId is required", "contact.id is required");
    }

    @Test
    void idsWiderThanTheirColumnsCanNeverBeClaimedSoTheRecordIsUnreadable() {
        ActionCommand tooLong = command("c".repeat(201), "i".repeat(101), ContactSnapshot.ofId("c-1"));
        assertThat(CommandReader.read(JsonCodec.encode(tooLong)).errors()).containsExactly(
                "commandId is longer than 200 characters", "instanceId is longer than 100 characters");
        ActionCommand widest = command("c".repeat(200), "i".repeat(100), ContactSnapshot.ofId("c-1"));
        assertThat(CommandReader.read(JsonCodec.encode(widest)).isOk()).isTrue();
    }

    @Test
    void textThatIsNoCommandSaysWhy() {
        assertThat(CommandReader.read("not json").errors()).singleElement().asString().startsWith("malformed JSON");
        assertThat(CommandReader.read("[1,2]").errors()).singleElement().asString()
                .startsWith("not a valid ActionCommand");
        assertThat(CommandReader.read(null).errors()).containsExactly("empty record");
    }
}
