package io.engageflow.runtime.actions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The table of a family handler's variants by catalog action: its keys are the handler's {@code actions()}. */
public final class Variants {
    private Variants() {
    }

    @SafeVarargs
    public static <V> Map<String, V> byAction(Function<V, String> action, V... variants) {
        Map<String, V> table = new LinkedHashMap<>();
        for (V v : variants) {
            if (table.put(action.apply(v), v) != null) {
                throw new IllegalArgumentException("two variants for " + action.apply(v));
            }
        }
        return Collections.unmodifiableMap(table);
    }
}
