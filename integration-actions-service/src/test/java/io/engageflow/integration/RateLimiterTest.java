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
}
