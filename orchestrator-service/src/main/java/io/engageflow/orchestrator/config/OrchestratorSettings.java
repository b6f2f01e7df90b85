package io.engageflow.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * What the orchestrator can be configured with besides the shared settings (service-common's and the delivery kit's).
 * README "Configuration" lists these settings; a test holds the two together.
 */
@ConfigMapping(prefix = "engageflow")
public interface OrchestratorSettings {
    /** Running instances. */
    Orchestrator orchestrator();

    /** The admin console ({@code /console}). */
    Console console();

    interface Orchestrator {
        /** How long a step waits for its action's result before it takes Failure with Timeout (a step's timeout wins). */
        @WithDefault("PT5M")
        Duration stepTimeout();

        /**
         * How often the durable clock looks for due Delays and deadlines (read by the clock's schedule): a duration
         * such as {@code 1s}, or {@code off} for a replica whose clock must not run.
         */
        @WithDefault("1s")
        String clockTick();

        /**
         * Parsed definition versions kept in memory (least recently used go first).
         */
        @WithDefault("2000")
        int definitionCacheSize();
    }

    interface Console {
        /**
         * The base URL at which a browser reaches integration-actions-service's connected-apps API (another origin:
         * that service must allow the console's, its {@code quarkus.http.cors.*}); env
         * {@code ENGAGEFLOW_CONSOLE_INTEGRATION_URL}.
         */
        @WithDefault("http://localhost:8084")
        String integrationUrl();
    }
}
