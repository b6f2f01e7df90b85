package io.engageflow.integration.tracing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Tracing turned on as a deployment does it, spans exported to memory; log lines also written as JSON to a file
 * (the format the k8s profile gives the console) with the pipeline's DEBUG lines, which a test reads.
 */
public class TracingOn implements QuarkusTestProfile {
    public static final String JSON_LOG = "target/tracing-on-json.log";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.bsp.schedule.delay", "50ms",
                "quarkus.log.file.enabled", "true",
                "quarkus.log.file.path", JSON_LOG,
                "quarkus.log.file.json.enabled", "true",
                "quarkus.log.file.level", "DEBUG",
                "quarkus.log.category.\"io.engageflow.runtime.messaging\".level", "DEBUG");
    }
}
