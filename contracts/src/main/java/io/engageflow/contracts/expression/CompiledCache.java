package io.engageflow.contracts.expression;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Compiled forms by source text. Compiling costs far more than running, and definitions repeat the same conditions
 * and config strings for every instance, so each text is compiled once; the cache stops growing at a bound so that
 * texts that never repeat (rendered into the expression itself) cannot fill the heap — those are compiled each time.
 */
final class CompiledCache<V> {
    private static final int LIMIT = 10_000;

    private final Map<String, V> compiled = new ConcurrentHashMap<>();
    private final Function<String, V> compiler;

    CompiledCache(Function<String, V> compiler) {
        this.compiler = compiler;
    }

    V get(String text) {
        V cached = compiled.get(text);
        if (cached != null) {
            return cached;
        }
        return compiled.size() < LIMIT ? compiled.computeIfAbsent(text, compiler) : compiler.apply(text);
    }
}
