package io.engageflow.integration.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What integration-actions-service can be configured with besides the shared settings (service-common's, the
 * delivery kit's, action-runtime's {@code engageflow.actions.*}). Read outside this mapping, as their names are
 * open-ended: a provider's own rate ({@code engageflow.integration.rate-limit.<provider>.per-second} / {@code .burst},
 * RateLimiter) and the keys of connected apps' secrets ({@code engageflow.integration.secret-key},
 * {@code secret-keys.<id>}, {@code secret-key-id}, {@code allow-development-key}: SecretKeyring). README
 * "Configuration" lists these settings; a test holds the two together.
 */
@ConfigMapping(prefix = "engageflow")
public interface IntegrationSettings {
    /** Calls to providers (Salesforce, Mailchimp, Braze, LocalCard, Thuzi) and HttpRequest's sends. */
    Integration integration();

    /** The HttpRequest action. */
    HttpRequest httpRequest();

    interface Integration {
        /** Tries of a failed provider call, where its Retries policy allows one, with exponential backoff and jitter. */
        Retry retry();

        /** The deadline of one provider call. */
        @WithDefault("PT15S")
        Duration timeout();

        /** The largest provider answer read, in bytes: the attempt fails as soon as the body passes it. */
        @WithDefault("2097152")
        int maxResponseBytes();

        /** Calls per workspace and provider. */
        RateLimit rateLimit();
    }

    interface Retry {
        /** How many tries in all. */
        @WithDefault("4")
        int maxAttempts();

        /** The first wait between tries; it doubles each time. */
        @WithDefault("PT0.2S")
        Duration baseDelay();

        /** The longest wait between tries. */
        @WithDefault("PT10S")
        Duration maxDelay();
    }

    interface RateLimit {
        /**
         * Calls a second per workspace and provider, the rate its bucket refills at; a provider's own is
         * {@code rate-limit.<provider>.per-second} (HttpRequest's, {@code http}: 1000).
         */
        @WithDefault("20")
        double perSecond();

        /** Calls at once per workspace and provider (the bucket's size); a provider's own is {@code .burst}. */
        @WithDefault("20")
        double burst();

        /** Buckets kept in memory; past this many the longest unused goes. */
        @WithDefault("100000")
        int maxBuckets();
    }

    interface HttpRequest {
        /**
         * Hosts HttpRequest and connected apps' baseUrl may reach besides public addresses on ports 80/443:
         * {@code address} (every port), {@code name} (80/443), {@code host:port}, {@code host:*}; metadata never.
         */
        Optional<List<String>> allowedHosts();

        /** The largest answer HttpRequest reads, in bytes, enforced as the body streams in. */
        @WithDefault("1048576")
        int maxResponseBytes();

        /** The longest timeoutMs a step may set (each attempt's one deadline); a longer one is InvalidConfig. */
        @WithDefault("PT30S")
        Duration maxTimeout();
    }
}
