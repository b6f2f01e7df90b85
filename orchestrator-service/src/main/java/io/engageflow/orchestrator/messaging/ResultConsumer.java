package io.engageflow.orchestrator.messaging;

import io.engageflow.common.delivery.Delivery;
import io.engageflow.common.delivery.InboundRecord;
import io.engageflow.common.delivery.RecordStage;
import io.engageflow.common.tracing.InstanceLog;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.orchestrator.domain.instance.Decision;
import io.engageflow.orchestrator.domain.instance.EngineInput;
import io.engageflow.orchestrator.domain.instance.InstanceState;
import io.engageflow.orchestrator.engine.InstanceEngine;
import io.engageflow.orchestrator.engine.InstanceTraces;
import io.engageflow.orchestrator.engine.InstanceEngine.Input;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * {@code actions.results} a poll at a time, applied in one transaction. A result that cannot be applied after its
 * attempts is parked on the dead-letter topic and its instance (the record's key) ends failed with the reason.
 */
@ApplicationScoped
public class ResultConsumer implements RecordStage<ActionResult> {
    private static final Logger LOG = Logger.getLogger(ResultConsumer.class);

    private final InstanceEngine engine;
    private final Delivery delivery;
    private final InstanceTraces traces;

    public ResultConsumer(InstanceEngine engine, Delivery delivery, InstanceTraces traces) {
        this.engine = engine;
        this.delivery = delivery;
        this.traces = traces;
    }

    @Incoming("action-results")
    public Uni<Void> onResults(KafkaRecordBatch<String, String> batch) {
        return delivery.consume(batch, this);
    }

    @Override
    public Decoded<ActionResult> read(InboundRecord record) {
        Decoded<ActionResult> result = JsonCodec.decode(record.value(), ActionResult.class);
        if (result.isOk() && (result.value().instanceId() == null || result.value().stepId() == null)) {
            return Decoded.failed("instanceId and stepId are required");
        }
        return result;
    }

    @Override
    public Uni<Void> process(List<Item<ActionResult>> items) {
        List<Input> inputs = new ArrayList<>(items.size());
        for (Item<ActionResult> item : items) {
            inputs.add(new Input(item.value().instanceId(), new EngineInput.Result(item.value())));
        }
        traces.receivedResults(items); // the next step's trace continues the action's
        return engine.apply(inputs).replaceWithVoid().eventually(() -> traces.forgetResults(items));
    }

    /**
     * The instance of a result that could be read but not applied ends failed with the reason. A record that could
     * not even be read names no instance one can trust (its key is just a key): it is parked alone, and if it was a
     * real answer its step runs into its deadline and takes Failure (Timeout).
     */
    @Override
    public Uni<Void> parked(InboundRecord record, ActionResult result, String reason) {
        if (result == null) {
            return Uni.createFrom().voidItem();
        }
        String instanceId = result.instanceId();
        String stepId = result.stepId();
        return engine.apply(List.of(new Input(instanceId, new EngineInput.Abort(stepId, ErrorCodes.DEAD_LETTERED,
                "a result could not be applied and was parked on " + record.topic() + ".dlq: " + reason))))
                .invoke(outcomes -> {
                    InstanceState state = outcomes.get(0).state();
                    boolean ended = outcomes.get(0).decision() instanceof Decision.Applied;
                    InstanceLog.about(state == null ? null : traces.traceIdOf(state.traceParent), instanceId,
                            state == null ? null : state.workspaceId, () -> LOG.warnf(
                                    "result %s (instance %s, step %s) parked from %s: %s", result.commandId(),
                                    instanceId, stepId, record.where(), ended ? "the instance ends failed with "
                                            + ErrorCodes.DEAD_LETTERED : "its instance was not running"));
                })
                .replaceWithVoid();
    }
}
