package io.engageflow.orchestrator.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engageflow.contracts.json.JsonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's "start from a reference example" offers every example of deploy/examples: each is packaged beside the
 * console (the build copies them) and listed in the console's index (console/examples/index.json, kept by hand) with
 * its name and trigger; the index names no example that is gone.
 */
class ConsoleExamplesTest {
    private static final Path EXAMPLES = Path.of("..", "deploy", "examples");
    private static final String CONSOLE = "/META-INF/resources/console/examples/";

    @Test
    void everyReferenceExampleIsPackagedWithTheConsoleAndListedInItsIndex() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            examples = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(examples).as("deploy/examples").hasSizeGreaterThanOrEqualTo(13);
        JsonNode index = JsonCodec.parse(resource("index.json")).value();
        List<String> listed = new ArrayList<>();
        index.forEach(entry -> listed.add(entry.get("file").asText()));
        assertThat(listed).as("the console's index of examples")
                .containsExactlyElementsOf(examples.stream().map(p -> p.getFileName().toString()).toList());
        for (Path example : examples) {
            String file = example.getFileName().toString();
            String text = Files.readString(example);
            assertThat(resource(file)).as("%s as packaged with the console", file).isEqualTo(text);
            JsonNode definition = JsonCodec.parse(text).value();
            JsonNode entry = index.get(listed.indexOf(file));
            assertThat(entry.get("name").asText()).as("%s's name in the index", file)
                    .isEqualTo(definition.get("name").asText());
            assertThat(entry.get("trigger").asText()).as("%s's trigger in the index", file)
                    .isEqualTo(definition.get("trigger").get("type").asText());
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConsoleExamplesTest.class.getResourceAsStream(CONSOLE + name)) {
            assertThat(in).as("%s packaged under %s", name, CONSOLE).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
