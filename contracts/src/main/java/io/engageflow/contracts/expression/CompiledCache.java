package io.engageflow.contracts.expression;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Compiled forms by source text. Compiling costs far more than running, and definitions repeat the same conditions
 * and config strings for every instance, so each text is compiled once and kept while it is used.
 *
 * <p>The cache is fed by anyone who may validate a definition, and by texts that never repeat (a condition with a
 * value rendered into it), so it is bounded by what it holds: each entry weighs an estimate of the heap its compiled
 * form keeps (measured on CEL 0.14 and mustache.java 0.9.14, see {@link Conditions} and {@link Templates}); past the
 * bound the least recently used entries go. A text heavier than the whole bound is compiled each time, never kept.
 * Compiling happens outside the lock: two threads missing the same text may both compile it, and the first one kept
 * wins.
 */
final class CompiledCache<V> {
    private final Function<String, V> compiler;
    private final ToLongFunction<String> weigher;
    private final long maxBytes;
    /** In access order: the eldest entry is the least recently used. Guarded by {@code this}. */
    private final LinkedHashMap<String, Entry<V>> entries = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;
    private long evictions;

    private record Entry<V>(V value, long weight) {
    }

    /**
     * @param weigher  the estimated heap a text's compiled form keeps, in bytes
     * @param maxBytes the most the kept entries may weigh together
     */
    CompiledCache(Function<String, V> compiler, ToLongFunction<String> weigher, long maxBytes) {
        this.compiler = compiler;
        this.weigher = weigher;
        this.maxBytes = maxBytes;
    }

    V get(String text) {
        synchronized (this) {
            Entry<V> cached = entries.get(text);
            if (cached != null) {
                return cached.value();
            }
        }
        V compiled = compiler.apply(text);
        long weight = weigher.applyAsLong(text);
        if (weight > maxBytes) {
            return compiled;
        }
        synchronized (this) {
            Entry<V> raced = entries.putIfAbsent(text, new Entry<>(compiled, weight));
            if (raced != null) {
                return raced.value();
            }
            bytes += weight;
            Iterator<Entry<V>> eldest = entries.values().iterator();
            while (bytes > maxBytes) {
                bytes -= eldest.next().weight();
                eldest.remove();
                evictions++;
            }
        }
        return compiled;
    }

    synchronized CacheStats stats() {
        return new CacheStats(entries.size(), bytes, evictions);
    }

    /** For a weigher: the bytes kept per entry and per character of source text. */
    static ToLongFunction<String> linear(long perEntry, long perChar) {
        return text -> perEntry + perChar * text.length();
    }
}
