package io.engageflow.orchestrator.tracing;

import io.engageflow.testsupport.TracingOn;
import java.util.Map;

/**
 * Tracing on, and the durable timer's tick off: a test fires what is due itself, through the engine's one path
 * ({@code InstanceEngine.fireDue}, what each tick calls), at the point the test chooses.
 */
public class TracingOnClockByHand extends TracingOn {
    @Override
    public Map<String, String> getConfigOverrides() {
        return and(Map.of("engageflow.orchestrator.clock-tick", "off"));
    }
}
