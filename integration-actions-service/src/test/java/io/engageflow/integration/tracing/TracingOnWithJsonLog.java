package io.engageflow.integration.tracing;

import io.engageflow.testsupport.TracingOn;
import java.util.Map;

/**
 * Tracing on, and log lines also written as JSON to a file (the format the k8s profile gives the console) with the
 * pipeline's DEBUG lines, which a test reads.
 */
public class TracingOnWithJsonLog extends TracingOn {
    public static final String JSON_LOG = "target/tracing-on-json.log";

    @Override
    public Map<String, String> getConfigOverrides() {
        return and(Map.of("quarkus.log.file.enabled", "true",
                "quarkus.log.file.path", JSON_LOG,
                "quarkus.log.file.json.enabled", "true",
                "quarkus.log.file.level", "DEBUG",
                "quarkus.log.category.\"io.engageflow.runtime.messaging\".level", "DEBUG"));
    }
}
