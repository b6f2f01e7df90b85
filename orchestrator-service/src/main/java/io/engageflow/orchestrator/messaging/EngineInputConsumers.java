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
import java.util.ArrayList;
import java.util.List;
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
            skipUnreadable("trigger", payload, trigger.isOk() ? "eventId and contact are required"
                    : String.join("; ", trigger.errors()));
            return Uni.createFrom().voidItem();
        }
        return retrying(engine.onTrigger(trigger.value()).replaceWithVoid(), "trigger " + trigger.value().eventId());
    }

    /**
     * Results arrive a poll at a time and are applied in one transaction (far fewer database round trips per
     * result under load). If that batch fails, its results are applied one by one, each retried on its own, so one
     * result that cannot be applied holds up only itself and those behind it in its partition.
     */
    @Incoming("action-results")
    public Uni<Void> onResults(List<String> payloads) {
        List<ActionResult> results = new ArrayList<>();
        for (String payload : payloads) {
            Decoded<ActionResult> result = JsonCodec.decode(payload, ActionResult.class);
            if (!result.isOk() || result.value().instanceId() == null || result.value().stepId() == null) {
                skipUnreadable("result", payload, result.isOk() ? "instanceId and stepId are required"
                        : String.join("; ", result.errors()));
            } else {
                results.add(result.value());
            }
        }
        if (results.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        metrics.summary("engageflow.results.batch.size").record(results.size());
        return engine.onResults(results).onFailure().recoverWithUni(e -> {
            LOG.warnf("a batch of %d results could not be applied (%s): applying them one by one", results.size(),
                    e.toString());
            Uni<Void> oneByOne = Uni.createFrom().voidItem();
            for (ActionResult r : results) {
                oneByOne = oneByOne.call(() -> retrying(engine.onResult(r), "result " + r.commandId()));
            }
            return oneByOne;
        });
    }

    private static Uni<Void> retrying(Uni<Void> work, String what) {
        return work.onFailure().invoke(e -> LOG.warnf("%s could not be applied, retrying: %s", what, e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(10)).indefinitely();
    }

    private void skipUnreadable(String kind, String payload, String why) {
        metrics.counter("engageflow.records.unreadable", "kind", kind).increment();
        LOG.errorf("unreadable %s record skipped (%s): %.500s", kind, why, payload);
    }
}
