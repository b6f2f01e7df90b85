package io.engageflow.integration.client;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A token bucket per workspace×provider: over the rate, a call waits for its turn rather than fail. Returns how long
 * the caller must wait before going ahead (the slot is reserved). Each provider may have a rate of its own
 * ({@code engageflow.integration.rate-limit.<provider>.per-second} and {@code .burst}); the others take the default.
 */
@ApplicationScoped
public class RateLimiter {
    private final double perSecond;
    private final double burst;
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>(); // {tokens, lastRefillNanos}
    private final Map<String, double[]> rates = new ConcurrentHashMap<>(); // provider → {perSecond, burst}
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
        double[] rate = rates.computeIfAbsent(provider, this::rateOf);
        double perSecondHere = rate[0];
        double burstHere = rate[1];
        double[] bucket = buckets.computeIfAbsent(workspace + "/" + provider,
                k -> new double[] {burstHere, nanoClock.getAsLong()});
        synchronized (bucket) {
            long now = nanoClock.getAsLong();
            bucket[0] = Math.min(burstHere, bucket[0] + (now - bucket[1]) / 1e9 * perSecondHere);
            bucket[1] = now;
            bucket[0] -= 1;
            return bucket[0] >= 0 ? 0 : (long) Math.ceil(-bucket[0] / perSecondHere * 1000);
        }
    }

    /** The provider's own rate where one is configured, else the default. */
    private double[] rateOf(String provider) {
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        String prefix = "engageflow.integration.rate-limit." + provider;
        return new double[] {config.getOptionalValue(prefix + ".per-second", Double.class).orElse(perSecond),
                config.getOptionalValue(prefix + ".burst", Double.class).orElse(burst)};
    }
}
