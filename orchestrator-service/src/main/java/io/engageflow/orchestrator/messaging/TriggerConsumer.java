package io.engageflow.orchestrator.messaging;

import io.engageflow.common.delivery.Delivery;
import io.engageflow.common.delivery.InboundRecord;
import io.engageflow.common.delivery.RecordStage;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.orchestrator.engine.InstanceEngine;
import io.engageflow.orchestrator.engine.InstanceTraces;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * {@code workflow.triggers} a poll at a time: the poll's triggers start their instances in one transaction. A record
 * that is not a trigger, or one that cannot be started after its attempts, is parked on the dead-letter topic.
 */
@ApplicationScoped
public class TriggerConsumer implements RecordStage<TriggerEvent> {
    private final InstanceEngine engine;
    private final Delivery delivery;
    private final InstanceTraces traces;

    public TriggerConsumer(InstanceEngine engine, Delivery delivery, InstanceTraces traces) {
        this.engine = engine;
        this.delivery = delivery;
        this.traces = traces;
    }

    @Incoming("workflow-triggers")
    public Uni<Void> onTriggers(KafkaRecordBatch<String, String> batch) {
        return delivery.consume(batch, this);
    }

    @Override
    public Decoded<TriggerEvent> read(InboundRecord record) {
        Decoded<TriggerEvent> trigger = JsonCodec.decode(record.value(), TriggerEvent.class);
        if (!trigger.isOk()) {
            return trigger;
        }
        TriggerEvent t = trigger.value();
        if (t.eventId() == null || t.workspaceId() == null || t.type() == null || t.contact() == null
                || t.contact().id() == null) {
            return Decoded.failed("eventId, workspaceId, type and contact.id are required");
        }
        return trigger;
    }

    @Override
    public Uni<Void> process(List<Item<TriggerEvent>> items) {
        traces.receivedTriggers(items); // each instance's trace continues its trigger's
        return engine.start(items.stream().map(Item::value).toList()).eventually(() -> traces.forgetTriggers(items));
    }
}
