package io.engageflow.orchestrator.engine;

import io.engageflow.contracts.expression.CacheStats;
import io.engageflow.contracts.expression.Conditions;
import io.engageflow.contracts.expression.Templates;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.util.function.Supplier;

/**
 * Publishes the compiled-expression caches (contracts has no metrics library): for {@code cache=conditions} and
 * {@code cache=templates}, {@code engageflow.expressions.cache.entries}, {@code engageflow.expressions.cache.bytes}
 * (the estimated heap the entries keep, which the cache's bound applies to) and the counter
 * {@code engageflow.expressions.cache.evictions}. Entries come from definitions (the validate endpoint too) and from
 * conditions rendered from trigger data; evictions that keep rising mean the hot set no longer fits.
 */
@Startup
@Singleton
public class ExpressionCacheMetrics {
    public ExpressionCacheMetrics(MeterRegistry registry) {
        register(registry, "conditions", Conditions::cacheStats);
        register(registry, "templates", Templates::cacheStats);
    }

    private void register(MeterRegistry registry, String cache, Supplier<CacheStats> stats) {
        Gauge.builder("engageflow.expressions.cache.entries", () -> stats.get().entries()).tag("cache", cache)
                .description("compiled expressions kept").register(registry);
        Gauge.builder("engageflow.expressions.cache.bytes", () -> stats.get().bytes()).tag("cache", cache)
                .baseUnit("bytes").description("estimated heap the kept compiled expressions hold")
                .register(registry);
        // this bean is the counter's (weakly held) state object: a singleton, it lives as long as the registry
        FunctionCounter.builder("engageflow.expressions.cache.evictions", this, self -> stats.get().evictions())
                .tag("cache", cache).description("compiled expressions dropped to stay within the bytes bound")
                .register(registry);
    }
}
