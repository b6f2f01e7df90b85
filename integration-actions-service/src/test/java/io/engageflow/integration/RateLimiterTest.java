package io.engageflow.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.integration.client.RateLimiter;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    @Test
    void overTheRateCallsAreToldToWaitNotRefusedAndWorkspacesDoNotShareABucket() {
        RateLimiter limiter = new RateLimiter(10, 2);
        assertThat(limiter.reserveMillis("ws", "braze")).isZero();
        assertThat(limiter.reserveMillis("ws", "braze")).isZero();
        long third = limiter.reserveMillis("ws", "braze");
        long fourth = limiter.reserveMillis("ws", "braze");
        assertThat(third).isBetween(80L, 100L);
        assertThat(fourth).isBetween(180L, 200L);
        assertThat(limiter.reserveMillis("other", "braze")).isZero();
        assertThat(limiter.reserveMillis("ws", "mailchimp")).isZero();
    }
}
