package io.engageflow.contracts.catalog;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One action of the catalog. {@code paths} always contains Failure. {@code oneOf} lists groups of keys of which at
 * least one must be set (e.g. an email's body or template). {@code provider} names the connected app an
 * integration action needs, or is null. {@code readOnly} marks an action free of effects: it only reads (a filter
 * evaluating its condition) and changes nothing, here or outside; a command of a test run runs it for real, while
 * every other action is not performed and reports what it would have sent (CONTRACT.md, "Runs an admin can act on").
 */
public record ActionSpec(String name, Category category, List<ConfigKey> config, List<List<String>> oneOf,
                         Set<String> paths, List<String> outputs, String provider, boolean readOnly) {

    public ActionSpec {
        Set<String> all = new LinkedHashSet<>(paths);
        all.add(OutputPaths.FAILURE);
        paths = java.util.Collections.unmodifiableSet(all);
        config = List.copyOf(config);
        oneOf = List.copyOf(oneOf);
        outputs = List.copyOf(outputs);
    }

    public Map<String, ConfigKey> configByName() {
        return config.stream().collect(Collectors.toMap(ConfigKey::name, Function.identity(), (a, b) -> a,
                java.util.LinkedHashMap::new));
    }

    public Optional<ConfigKey> key(String keyName) {
        return config.stream().filter(k -> k.name().equals(keyName)).findFirst();
    }

    public boolean hasPath(String path) {
        return paths.contains(path);
    }
}
