package io.engageflow.integration.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class RetriesTest {
    private static ProviderResponse status(int status, Long retryAfterMillis) {
        return new ProviderResponse(status, "", null, retryAfterMillis);
    }

    private static ProviderResponse transport(String error) {
        return new ProviderResponse(0, null, error);
    }

    @Test
    void aWebhookIsTriedAgainOnlyWhereItCannotHaveActed() {
        Retries unsent = Retries.WHERE_UNSENT;
        assertThat(unsent.allows(transport("request failed: Connection refused"), true)).isTrue();
        assertThat(unsent.allows(transport("timed out: 300 ms"), false)).isFalse();
        assertThat(unsent.allows(status(503, 1000L), false)).isTrue();
        assertThat(unsent.allows(status(429, 0L), false)).isTrue();
        assertThat(unsent.allows(status(503, null), false)).as("no Retry-After: may have acted").isFalse();
        assertThat(unsent.allows(status(429, null), false)).isFalse();
        assertThat(unsent.allows(status(500, 1000L), false)).isFalse();
        assertThat(unsent.allows(status(502, null), false)).isFalse();
        assertThat(unsent.allows(status(404, null), false)).isFalse();
    }

    @Test
    void providerCallsAreTriedAgainOnTimeoutsConnectionErrors429And5xx() {
        Retries onFailure = Retries.ON_FAILURE;
        assertThat(onFailure.allows(transport("timed out: 15000 ms"), false)).isTrue();
        assertThat(onFailure.allows(transport("request failed: Connection refused"), true)).isTrue();
        assertThat(onFailure.allows(status(500, null), false)).isTrue();
        assertThat(onFailure.allows(status(429, null), false)).isTrue();
        assertThat(onFailure.allows(status(404, null), false)).isFalse();
        assertThat(onFailure.allows(transport("response larger than 10 bytes"), false)).isFalse();
    }

    @Test
    void onlyAConnectionThatWasNeverMadeMeansTheRequestWasNotSent() {
        assertThat(ProviderHttp.unsent(new RuntimeException(new ConnectException("Connection refused")))).isTrue();
        assertThat(ProviderHttp.unsent(new io.netty.channel.ConnectTimeoutException("connection timed out"))).isTrue();
        assertThat(ProviderHttp.unsent(new TimeoutException("The timeout period of 300ms has been exceeded")))
                .isFalse();
        assertThat(ProviderHttp.unsent(new java.io.IOException("Connection reset by peer"))).isFalse();
    }
}
