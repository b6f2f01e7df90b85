package io.engageflow.orchestrator.messaging;

import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.orchestrator.engine.InstanceEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Feeds the engine from {@code workflow.triggers} and {@code actions.results}. A record that cannot be read is
 * logged, counted and skipped; a database outage makes the partition wait and retry, so nothing is lost.
 */
@ApplicationScoped
public class EngineInputConsumers {
    private static final Logger LOG = Logger.getLogger(EngineInputConsumers.class);

    private final InstanceEngine engine;
    private final MeterRegistry metrics;

    public EngineInputConsumers(InstanceEngine engine, MeterRegistry metrics) {
        this.engine = engine;
        this.metrics = metrics;
    }

    @Incoming("workflow-triggers")
    public Uni<Void> onTrigger(String payload) {
        Decoded<TriggerEvent> trigger = JsonCodec.decode(payload, TriggerEvent.class);
        if (!trigger.isOk() || trigger.value().contact() == null || trigger.value().eventId() == null) {
            return unreadable("trigger", payload, trigger.isOk() ? "eventId and contact are required"
                    : String.join("; ", trigger.errors()));
        }
        return retrying(engine.onTrigger(trigger.value()).replaceWithVoid(), "trigger " + trigger.value().eventId());
    }

    @Incoming("action-results")
    public Uni<Void> onResult(String payload) {
        Decoded<ActionResult> result = JsonCodec.decode(payload, ActionResult.class);
        if (!result.isOk() || result.value().instanceId() == null || result.value().stepId() == null) {
            return unreadable("result", payload, result.isOk() ? "instanceId and stepId are required"
                    : String.join("; ", result.errors()));
        }
        return retrying(engine.onResult(result.value()), "result " + result.value().commandId());
    }

    private static Uni<Void> retrying(Uni<Void> work, String what) {
        return work.onFailure().invoke(e -> LOG.warnf("%s could not be applied, retrying: %s", what, e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(10)).indefinitely();
    }

    private Uni<Void> unreadable(String kind, String payload, String why) {
        metrics.counter("engageflow.records.unreadable", "kind", kind).increment();
        LOG.errorf("unreadable %s record skipped (%s): %.500s", kind, why, payload);
        return Uni.createFrom().voidItem();
    }
}
