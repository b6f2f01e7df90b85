package io.engageflow.trigger.messaging;

import io.engageflow.common.messaging.KafkaRecords;
import io.engageflow.contracts.RejectedRecord;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.trigger.domain.TriggerIntake;
import io.engageflow.trigger.domain.TriggerValidator;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/** Reads {@code triggers.inbound}; a record that is not a valid trigger goes to {@code triggers.rejected}. */
@ApplicationScoped
public class InboundTriggerConsumer {
    private static final Logger LOG = Logger.getLogger(InboundTriggerConsumer.class);

    private final TriggerIntake intake;
    private final MutinyEmitter<String> rejected;
    private final MeterRegistry metrics;

    public InboundTriggerConsumer(TriggerIntake intake, @Channel("triggers-rejected") MutinyEmitter<String> rejected,
                                  MeterRegistry metrics) {
        this.intake = intake;
        this.rejected = rejected;
        this.metrics = metrics;
    }

    @Incoming("triggers-inbound")
    public Uni<Void> onRecord(Message<String> message) {
        String payload = message.getPayload();
        Decoded<TriggerEvent> trigger = TriggerValidator.validate(payload, null, Instant.now());
        Uni<Void> work = trigger.isOk()
                ? intake.accept(trigger.value()).replaceWithVoid()
                : reject(payload, trigger.errors(), key(message));
        // A valid trigger is never dropped: during a database or broker outage this partition waits and retries
        // (its offset is not committed meanwhile), and resumes when the outage ends.
        return work.onFailure().invoke(e -> LOG.warnf("trigger intake failed, retrying: %s", e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .chain(() -> Uni.createFrom().completionStage(message.ack()));
    }

    private Uni<Void> reject(String payload, List<String> reasons, String key) {
        metrics.counter("engageflow.triggers", "outcome", "rejected").increment();
        LOG.warnf("rejected trigger record: %s", reasons);
        RejectedRecord record = RejectedRecord.of(String.join("; ", reasons), reasons, payload,
                Topics.TRIGGERS_INBOUND);
        return rejected.sendMessage(KafkaRecords.keyed(key, JsonCodec.encode(record)));
    }

    @SuppressWarnings("unchecked")
    private static String key(Message<String> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getKey() == null ? null : String.valueOf(m.getKey())).orElse(null);
    }
}
