package io.engageflow.trigger.messaging;

import io.engageflow.common.delivery.Delivery;
import io.engageflow.common.delivery.InboundRecord;
import io.engageflow.common.delivery.KafkaSender;
import io.engageflow.common.delivery.Outages;
import io.engageflow.common.delivery.OutboundRecord;
import io.engageflow.common.delivery.RecordStage;
import io.engageflow.contracts.RejectedRecord;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.trigger.domain.TriggerValidator;
import io.engageflow.trigger.domain.Verdict;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * {@code triggers.inbound} a poll at a time. Every record is read into a {@link Verdict}, so none is "unreadable" to
 * the delivery kit: a record that is not JSON, or not a valid trigger, goes to {@code triggers.rejected} with its
 * reasons (the contract), a normal outcome. The valid ones are accepted together ({@link TriggerIntake}); the
 * rejections are sent after that commit, before the poll is acknowledged, so a crash repeats them rather than loses
 * them. Only a record that cannot be processed at all after its attempts is parked on {@code triggers.inbound.dlq}.
 */
@ApplicationScoped
public class InboundTriggerConsumer implements RecordStage<Verdict> {
    private static final Logger LOG = Logger.getLogger(InboundTriggerConsumer.class);

    private final TriggerValidator validator;
    private final TriggerIntake intake;
    private final Delivery delivery;
    private final KafkaSender sender;
    private final Outages outages;
    private final MeterRegistry metrics;
    private final PublisherAllowList publishers;
    private final TriggerTraces traces;

    public InboundTriggerConsumer(TriggerValidator validator, TriggerIntake intake, Delivery delivery,
                                  KafkaSender sender, Outages outages, MeterRegistry metrics,
                                  PublisherAllowList publishers, TriggerTraces traces) {
        this.validator = validator;
        this.intake = intake;
        this.delivery = delivery;
        this.sender = sender;
        this.outages = outages;
        this.metrics = metrics;
        this.publishers = publishers;
        this.traces = traces;
    }

    @Incoming("triggers-inbound")
    public Uni<Void> onTriggers(KafkaRecordBatch<String, String> batch) {
        return delivery.consume(batch, publishers.checking(batch, this));
    }

    @Override
    public Decoded<Verdict> read(InboundRecord record) {
        return Decoded.ok(validator.check(record.value(), null, Instant.now()));
    }

    @Override
    public Uni<Void> process(List<Item<Verdict>> items) {
        List<Verdict.Valid> valid = new ArrayList<>(items.size());
        List<OutboundRecord> rejections = new ArrayList<>();
        for (Item<Verdict> item : items) {
            if (item.value() instanceof Verdict.Valid v) {
                valid.add(v);
            } else {
                rejections.add(rejection(item.record(), (Verdict.Rejected) item.value()));
            }
        }
        traces.received(items);
        return intake.accept(valid).eventually(() -> traces.done(items))
                .invoke(() -> metrics.counter("engageflow.triggers", "outcome", "rejected", "type", "unknown")
                        .increment(rejections.size()))
                .chain(() -> outages.waitOut(() -> sender.send(rejections)));
    }

    private static OutboundRecord rejection(InboundRecord record, Verdict.Rejected rejected) {
        // the reasons the publisher gets may quote the record (a parser's message, a property's name): not logged
        if (rejected.loggedAlready()) {
            LOG.debugf("rejected trigger record %s (eventId %s): %s", record.where(), rejected.eventId(),
                    rejected.loggedReason());
        } else {
            LOG.warnf("rejected trigger record %s (eventId %s): %s", record.where(), rejected.eventId(),
                    rejected.loggedReason());
        }
        LOG.debugf("rejected trigger record %s: %s", record.where(), rejected.reason());
        RejectedRecord body = RejectedRecord.of(rejected.reason(), rejected.reasons(), record.value(),
                Topics.TRIGGERS_INBOUND);
        return new OutboundRecord(Topics.TRIGGERS_REJECTED, record.key(), JsonCodec.encode(body));
    }
}
