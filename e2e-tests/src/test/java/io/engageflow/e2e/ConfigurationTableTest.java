package io.engageflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README "Configuration" holds against the code: every {@code engageflow.*} setting of a {@code @ConfigMapping}
 * interface (a service's {@code config} package, service-common's and action-runtime's) is a row of the table with its default, and every {@code engageflow.*}
 * row is such a setting. Read from the sources: a setting added, renamed or given another default without the
 * table fails here.
 */
class ConfigurationTableTest {
    private static final Path ROOT = Path.of(System.getProperty("engageflow.root", ".."));
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([a-z.-]+)\"\\)");
    private static final Pattern INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)[^{]*\\{");
    private static final Pattern MEMBER = Pattern.compile(
            "((?:@\\w+(?:\\([^)]*\\))?\\s+)*)([\\w.]+(?:<[^;()]*>)?)\\s+(\\w+)\\(\\)\\s*;");
    private static final Pattern DEFAULT = Pattern.compile("@WithDefault\\(\"((?:[^\"\\\\]|\\\\.)*)\"\\)");
    private static final Pattern NAME = Pattern.compile("@WithName\\(\"([^\"]+)\"\\)");
    private static final Pattern ROW_KEY = Pattern.compile("^\\|\\s*`(engageflow\\.[^`]+)`");
    private static final Pattern DEFAULT_CELL = Pattern.compile("^\\s*`([^`]*)`");
    private static final String NONE = "none";

    @Test
    void everySettingOfTheMappingsIsARowOfTheReadmeTableWithItsDefaultAndNoRowIsAnotherSetting() throws IOException {
        Map<String, String> settings = settings();
        Map<String, String> rows = readmeRows();
        assertThat(settings).as("the mappings' settings").hasSizeGreaterThan(40)
                .containsKeys("engageflow.operator-key", "engageflow.delivery.producer.*",
                        "engageflow.triggers.publishers.*.workspaces", "engageflow.integration.retry.max-attempts");
        assertThat(new TreeSet<>(rows.keySet())).as("README rows (left) against the mappings' settings")
                .isEqualTo(new TreeSet<>(settings.keySet()));
        assertThat(new TreeMap<>(rows)).as("each row's default (a value in backticks, or none)")
                .isEqualTo(new TreeMap<>(settings));
    }

    /** Each setting of every mapping in the sources, with its default ({@value NONE} when it has none). */
    private static Map<String, String> settings() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(ROOT)) {
            sources = files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("src/main/java"))
                    .filter(p -> !p.toString().contains("/target/")).toList();
        }
        for (Path source : sources) {
            String code = withoutComments(Files.readString(source));
            Matcher mapping = MAPPING.matcher(code);
            if (mapping.find()) {
                Map<String, String> bodies = interfaceBodies(code);
                Matcher first = INTERFACE.matcher(code);
                assertThat(first.find(mapping.start())).as(source.toString()).isTrue();
                collect(mapping.group(1), first.group(1), bodies, settings, source);
            }
        }
        return settings;
    }

    private static void collect(String prefix, String type, Map<String, String> bodies, Map<String, String> out,
                                Path source) {
        Matcher m = MEMBER.matcher(bodies.get(type));
        while (m.find()) {
            String annotations = m.group(1);
            String returned = m.group(2);
            Matcher renamed = NAME.matcher(annotations);
            String segment = renamed.find() ? renamed.group(1) : kebab(m.group(3));
            String key = annotations.contains("@WithParentName") ? prefix : prefix + "." + segment;
            String element = returned.replaceFirst("^Optional<(.*)>$", "$1");
            Matcher map = Pattern.compile("^Map<String,\\s*(\\w+)>$").matcher(element);
            if (map.matches()) {
                key += ".*";
                element = map.group(1);
            }
            if (bodies.containsKey(element)) {
                collect(key, element, bodies, out, source);
            } else {
                Matcher d = DEFAULT.matcher(annotations);
                String previous = out.put(key, d.find() ? d.group(1) : NONE);
                assertThat(previous).as(key + " is declared twice (again in " + source + ")").isNull();
            }
        }
    }

    /** Each interface's own body, without the bodies of interfaces nested in it. */
    private static Map<String, String> interfaceBodies(String code) {
        Map<String, int[]> spans = new LinkedHashMap<>();
        Matcher m = INTERFACE.matcher(code);
        while (m.find()) {
            int open = m.end() - 1;
            int depth = 0;
            int close = open;
            for (int i = open; i < code.length(); i++) {
                char c = code.charAt(i);
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                if (depth == 0) {
                    close = i;
                    break;
                }
            }
            spans.put(m.group(1), new int[] {m.start(), open + 1, close});
        }
        Map<String, String> bodies = new LinkedHashMap<>();
        spans.forEach((name, span) -> {
            StringBuilder own = new StringBuilder(code.substring(span[1], span[2]));
            List<int[]> nested = new ArrayList<>(spans.values().stream()
                    .filter(s -> s[0] > span[1] && s[2] < span[2]).toList());
            nested.sort((a, b) -> Integer.compare(b[0], a[0])); // from the end: earlier offsets stay right
            for (int[] n : nested) {
                if (nested.stream().noneMatch(o -> o != n && o[0] < n[0] && o[2] > n[2])) {
                    own.delete(n[0] - span[1], n[2] + 1 - span[1]);
                }
            }
            bodies.put(name, own.toString());
        });
        return bodies;
    }

    private static String withoutComments(String text) {
        return text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)^\\s*//.*$", "");
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** The {@code engageflow.*} rows of README "Configuration": key (placeholders as {@code *}) → default cell. */
    private static Map<String, String> readmeRows() {
        String readme;
        try {
            readme = Files.readString(ROOT.resolve("README.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = readme.indexOf("\n## Configuration\n");
        assertThat(start).as("README has a Configuration section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            Matcher key = ROW_KEY.matcher(line);
            if (!key.find()) {
                continue;
            }
            String[] cells = line.split("(?<!\\\\)\\|");
            assertThat(cells.length).as("a row of key, service, default: " + line).isGreaterThanOrEqualTo(4);
            Matcher value = DEFAULT_CELL.matcher(cells[3]);
            String normalized = key.group(1).replaceAll("<[^>]+>", "*");
            String previous = rows.put(normalized, value.find() ? value.group(1)
                    : cells[3].strip().startsWith(NONE) ? NONE : "(no default given: " + cells[3].strip() + ")");
            assertThat(previous).as(normalized + " has two rows").isNull();
        }
        return rows;
    }
}
