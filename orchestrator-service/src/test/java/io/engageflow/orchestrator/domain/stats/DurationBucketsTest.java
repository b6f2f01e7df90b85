package io.engageflow.orchestrator.domain.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DurationBucketsTest {

    @Test
    void everyDurationIsReportedWithinHalfABucketAndSmallOnesExactly() {
        for (long ms = 0; ms <= 10; ms++) {
            assertThat(DurationBuckets.representative(DurationBuckets.bucket(ms))).as("%d ms", ms).isEqualTo(ms);
        }
        int previous = 0;
        for (long ms = 1; ms < 1L << 40; ms = ms * 21 / 20 + 1) {
            int bucket = DurationBuckets.bucket(ms);
            assertThat(bucket).as("buckets grow with the duration").isGreaterThanOrEqualTo(previous);
            previous = bucket;
            long reported = DurationBuckets.representative(bucket);
            // half a bucket (2^(1/16): 4.4 %), and half a millisecond of rounding to a whole one
            assertThat((double) Math.abs(reported - ms)).as("%d ms reported as %d", ms, reported)
                    .isLessThanOrEqualTo(0.044 * ms + 0.5);
            assertThat(DurationBuckets.bucket(reported)).as("%d ms's value lies in its bucket", ms).isEqualTo(bucket);
        }
        // forty years: counted in the last bucket, not past it
        assertThat(DurationBuckets.bucket(40L * 365 * 24 * 3600 * 1000)).isEqualTo(DurationBuckets.LAST);
    }

    @Test
    void quantilesComeFromTheCounts() {
        assertThat(DurationBuckets.quantile(Map.of(), 0.5)).isNull();
        Map<Integer, Long> counts = new HashMap<>();
        // 90 runs of 2 ms, 10 of 1000 ms: the median is 2 ms, the 95th percentile about a second
        counts.merge(DurationBuckets.bucket(2), 90L, Long::sum);
        counts.merge(DurationBuckets.bucket(1000), 10L, Long::sum);
        assertThat(DurationBuckets.quantile(counts, 0.5)).isEqualTo(2);
        assertThat(DurationBuckets.quantile(counts, 0.9)).isEqualTo(2); // the 90th of 100 is the last 2 ms
        assertThat(DurationBuckets.quantile(counts, 0.95)).isBetween(955L, 1045L);
    }
}
