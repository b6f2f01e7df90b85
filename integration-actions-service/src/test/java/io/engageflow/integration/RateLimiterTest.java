package io.engageflow.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.integration.client.RateLimiter;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    @Test
    void overTheRateCallsAreToldToWaitNotRefusedAndWorkspacesDoNotShareABucket() {
        long[] now = {0};
        RateLimiter limiter = new RateLimiter(10, 2, () -> now[0]);
        assertThat(limiter.reserveMillis("ws", "braze")).isZero();
        assertThat(limiter.reserveMillis("ws", "braze")).isZero();
        long third = limiter.reserveMillis("ws", "braze");
        long fourth = limiter.reserveMillis("ws", "braze");
        assertThat(third).isEqualTo(100L);
        assertThat(fourth).isEqualTo(200L);
        now[0] += 1_000_000_000L; // a second later the bucket is full again
        assertThat(limiter.reserveMillis("ws", "braze")).isZero();
        assertThat(limiter.reserveMillis("other", "braze")).isZero();
        assertThat(limiter.reserveMillis("ws", "mailchimp")).isZero();
    }

    /**
     * Ten thousand workspaces call once each: their buckets are kept while they could still make a caller wait, and
     * dropped once refilled (burst 2 at 10/s: 0.2 s), so the map holds only the recently busy ones.
     */
    @Test
    void bucketsThatHaveRefilledAreDroppedSoTheMapHoldsOnlyRecentCallers() {
        long[] now = {0};
        RateLimiter limiter = new RateLimiter(10, 2, () -> now[0]);
        for (int i = 0; i < 10_000; i++) {
            limiter.reserveMillis("ws-" + i, "braze");
        }
        assertThat(limiter.size()).isEqualTo(10_000);

        limiter.reserveMillis("busy", "braze");
        limiter.reserveMillis("busy", "braze");
        now[0] += 150_000_000L; // 0.15 s: the others have refilled (1 + 1.5, capped at 2); busy has 1.5
        assertThat(limiter.reserveMillis("busy", "braze")).as("its bucket was kept: it waits").isEqualTo(0);
        assertThat(limiter.reserveMillis("busy", "braze")).isEqualTo(50L);
        assertThat(limiter.size()).as("only the busy workspace is left").isEqualTo(1);
        assertThat(limiter.evictedUnfilled()).isZero();
    }

    /**
     * More workspaces busy at once than max-buckets: the longest unused are dropped (and counted), the map never
     * holds more than the cap, and a workspace still in the map keeps its debt.
     */
    @Test
    void theMapNeverHoldsMoreThanMaxBuckets() {
        long[] now = {0};
        RateLimiter limiter = new RateLimiter(10, 1, 100, () -> now[0]);
        limiter.reserveMillis("kept", "braze");
        for (int i = 0; i < 1_000; i++) {
            assertThat(limiter.reserveMillis("ws-" + i, "braze")).isZero();
            if (i % 50 == 0) {
                assertThat(limiter.reserveMillis("kept", "braze")).as("kept in use, so kept").isPositive();
            }
            assertThat(limiter.size()).isLessThanOrEqualTo(100);
        }
        assertThat(limiter.size()).isEqualTo(100);
        assertThat(limiter.evictedUnfilled()).isEqualTo(1_000 + 1 - 100);
        assertThat(limiter.reserveMillis("kept", "braze")).as("its debt of 21 calls at 10/s").isEqualTo(2_100L);
    }
}
