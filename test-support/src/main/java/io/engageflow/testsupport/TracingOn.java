package io.engageflow.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * Tracing turned on as a deployment does it, spans exported to memory ({@link InMemorySpans}). The OTLP exporter
 * stays, pointed at nothing that answers: its failures are only logged. A module that needs more settings extends
 * it: {@code return and(Map.of(...))}.
 */
public class TracingOn implements QuarkusTestProfile {
    private static final Map<String, String> TRACING = Map.of("quarkus.otel.sdk.disabled", "false",
            "quarkus.otel.bsp.schedule.delay", "50ms");

    @Override
    public Map<String, String> getConfigOverrides() {
        return TRACING;
    }

    /** Tracing's settings and these. */
    protected static Map<String, String> and(Map<String, String> more) {
        Map<String, String> all = new HashMap<>(TRACING);
        all.putAll(more);
        return all;
    }
}
