package io.engageflow.integration.client;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A token bucket per workspace×provider: over the rate, a call waits for its turn rather than fail. Returns how long
 * the caller must wait before going ahead (the slot is reserved).
 */
@ApplicationScoped
public class RateLimiter {
    private final double perSecond;
    private final double burst;
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>(); // {tokens, lastRefillNanos}
    private final LongSupplier nanoClock;

    @Inject
    public RateLimiter(@ConfigProperty(name = "engageflow.integration.rate-limit.per-second", defaultValue = "20")
                       double perSecond,
                       @ConfigProperty(name = "engageflow.integration.rate-limit.burst", defaultValue = "20")
                       double burst) {
        this(perSecond, burst, System::nanoTime);
    }

    /** With a clock of its own, for tests. */
    public RateLimiter(double perSecond, double burst, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    public long reserveMillis(String workspace, String provider) {
        double[] bucket = buckets.computeIfAbsent(workspace + "/" + provider, k -> new double[] {burst, nanoClock.getAsLong()});
        synchronized (bucket) {
            long now = nanoClock.getAsLong();
            bucket[0] = Math.min(burst, bucket[0] + (now - bucket[1]) / 1e9 * perSecond);
            bucket[1] = now;
            bucket[0] -= 1;
            return bucket[0] >= 0 ? 0 : (long) Math.ceil(-bucket[0] / perSecond * 1000);
        }
    }
}
