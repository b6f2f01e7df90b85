package io.engageflow.orchestrator.domain.stats;

import java.util.Map;
import java.util.TreeMap;

/**
 * Step durations as a histogram of fixed buckets, so that p50 and p95 come from a bounded structure the engine adds
 * to in the same statement as its other counters, and that versions merge exactly (add the counts).
 *
 * <p>Why buckets, not the last N durations: a bucket's count is one counter row the engine increments with the
 * batch's other counters (no array to rewrite per step, no read before the write), the all-versions view is the sum
 * of the versions' histograms (the last N of each version would not give the last N of all), and the size is fixed
 * whatever the number of runs. The price is precision: bucket 0 holds 0 ms; bucket {@code b >= 1} holds the whole
 * milliseconds in [2^((b-1)/8), 2^(b/8)), eight buckets per doubling, and stands for its geometric middle, so a
 * quantile is reported within 4.4 % of the true value (half a bucket, 2^(1/16)) plus half a millisecond of rounding,
 * and exactly up to 10 ms, where a bucket holds one whole number. 321 buckets reach 2^40 ms (35
 * years); anything longer counts in the last. A step has at most that many rows, and in practice a few dozen.
 */
public final class DurationBuckets {
    /** Buckets per doubling of the duration. */
    static final int PER_DOUBLING = 8;
    /** The last bucket, which also takes everything longer than 2^40 ms. */
    public static final int LAST = 40 * PER_DOUBLING + 1;
    /** LOWER[b]: the smallest whole millisecond count in bucket b (b >= 1), ceil(2^((b-1)/8)). */
    private static final long[] LOWER = new long[LAST + 2];

    static {
        for (int b = 1; b <= LAST + 1; b++) {
            // StrictMath: the same bounds on every JVM, or a stored bucket number would change meaning
            LOWER[b] = (long) Math.ceil(StrictMath.pow(2, (b - 1) / (double) PER_DOUBLING));
        }
    }

    private DurationBuckets() {
    }

    /** The bucket of a duration in milliseconds. */
    public static int bucket(long ms) {
        if (ms <= 0) {
            return 0;
        }
        // the largest b with LOWER[b] <= ms (several b share a bound below 10 ms; the last of them holds it)
        int lo = 1;
        int hi = LAST;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (LOWER[mid] <= ms) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The value a bucket stands for: its geometric middle, as a whole millisecond count inside the bucket. */
    public static long representative(int bucket) {
        if (bucket <= 0) {
            return 0;
        }
        if (bucket >= LAST) {
            return LOWER[LAST];
        }
        long lowest = LOWER[bucket];
        long highest = Math.max(lowest, LOWER[bucket + 1] - 1);
        long middle = Math.round(StrictMath.pow(2, (bucket - 0.5) / PER_DOUBLING));
        return Math.min(highest, Math.max(lowest, middle));
    }

    /**
     * The q-quantile (0 < q <= 1) of the durations counted in {@code counts} (bucket → count), or null when there are
     * none: the value of the bucket holding the ceil(q·n)-th smallest duration.
     */
    public static Long quantile(Map<Integer, Long> counts, double q) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        if (total <= 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (Map.Entry<Integer, Long> e : new TreeMap<>(counts).entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return representative(e.getKey());
            }
        }
        return representative(LAST);
    }
}
