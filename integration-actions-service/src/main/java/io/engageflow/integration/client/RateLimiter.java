package io.engageflow.integration.client;

import io.engageflow.integration.config.IntegrationSettings;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A token bucket per workspace×provider: over the rate, a call waits for its turn rather than fail. Returns how long
 * the caller must wait before going ahead (the slot is reserved). Each provider may have a rate of its own
 * ({@code engageflow.integration.rate-limit.<provider>.per-second} and {@code .burst}); the others take the default.
 *
 * <p>The buckets are bounded. A bucket that has refilled to its burst while unused is the same as a new one, so it is
 * dropped (looked at from the longest unused on, at each call): only buckets in use in about the last burst/rate
 * seconds stay. Past {@code engageflow.integration.rate-limit.max-buckets} the longest unused bucket is dropped even
 * if not full, so its workspace may start its next burst early. Metrics: {@code engageflow.integration.rate-limit.buckets}
 * (how many are kept) and {@code engageflow.integration.rate-limit.evictions} (dropped before refilling).
 */
@ApplicationScoped
public class RateLimiter {
    static final int DEFAULT_MAX_BUCKETS = 100_000;

    private final double perSecond;
    private final double burst;
    private final int maxBuckets;
    /** In access order: the first is the longest unused. Guarded by this. */
    private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true);
    private final Map<String, double[]> rates = new ConcurrentHashMap<>(); // provider → {perSecond, burst}
    private final LongSupplier nanoClock;
    private long evictedUnfilled;

    private static final class Bucket {
        final double perSecond;
        final double burst;
        double tokens;
        long lastNanos;

        Bucket(double perSecond, double burst, long now) {
            this.perSecond = perSecond;
            this.burst = burst;
            this.tokens = burst;
            this.lastNanos = now;
        }

        double tokensAt(long now) {
            return Math.min(burst, tokens + (now - lastNanos) / 1e9 * perSecond);
        }
    }

    @Inject
    public RateLimiter(IntegrationSettings settings, MeterRegistry registry) {
        this(settings.integration().rateLimit().perSecond(), settings.integration().rateLimit().burst(),
                settings.integration().rateLimit().maxBuckets(), System::nanoTime);
        Gauge.builder("engageflow.integration.rate-limit.buckets", this, RateLimiter::size)
                .description("workspace×provider rate-limit buckets kept").register(registry);
        FunctionCounter.builder("engageflow.integration.rate-limit.evictions", this, RateLimiter::evictedUnfilled)
                .description("buckets dropped over max-buckets before they had refilled").register(registry);
    }

    /** With a clock of its own, for tests. */
    public RateLimiter(double perSecond, double burst, LongSupplier nanoClock) {
        this(perSecond, burst, DEFAULT_MAX_BUCKETS, nanoClock);
    }

    public RateLimiter(double perSecond, double burst, int maxBuckets, LongSupplier nanoClock) {
        if (maxBuckets < 1) {
            throw new IllegalArgumentException("max-buckets must be at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.maxBuckets = maxBuckets;
        this.nanoClock = nanoClock;
    }

    public long reserveMillis(String workspace, String provider) {
        double[] rate = rates.computeIfAbsent(provider, this::rateOf);
        String key = workspace + "/" + provider;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            dropRefilled(now);
            Bucket bucket = buckets.get(key);
            if (bucket == null) {
                bucket = new Bucket(rate[0], rate[1], now);
                buckets.put(key, bucket);
                dropOverCap();
            }
            bucket.tokens = bucket.tokensAt(now) - 1;
            bucket.lastNanos = now;
            return bucket.tokens >= 0 ? 0 : (long) Math.ceil(-bucket.tokens / bucket.perSecond * 1000);
        }
    }

    /** How many buckets are kept now. */
    public synchronized int size() {
        return buckets.size();
    }

    /** How many buckets were dropped over the cap before they had refilled. */
    public synchronized long evictedUnfilled() {
        return evictedUnfilled;
    }

    /** From the longest unused on, drops the buckets that have refilled: the same as new ones. */
    private void dropRefilled(long now) {
        Iterator<Bucket> it = buckets.values().iterator();
        while (it.hasNext()) {
            Bucket oldest = it.next();
            if (oldest.tokensAt(now) < oldest.burst) {
                return;
            }
            it.remove();
        }
    }

    private void dropOverCap() {
        Iterator<Bucket> it = buckets.values().iterator();
        while (buckets.size() > maxBuckets && it.hasNext()) {
            it.next();
            it.remove();
            evictedUnfilled++;
        }
    }

    /** The provider's own rate where one is configured, else the default. */
    private double[] rateOf(String provider) {
        var config = ConfigProvider.getConfig();
        String prefix = "engageflow.integration.rate-limit." + provider;
        return new double[] {config.getOptionalValue(prefix + ".per-second", Double.class).orElse(perSecond),
                config.getOptionalValue(prefix + ".burst", Double.class).orElse(burst)};
    }
}
