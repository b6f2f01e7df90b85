package io.engageflow.common.delivery;

import io.engageflow.common.config.DeliverySettings;
import io.engageflow.contracts.json.Decoded;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The poison rule, one for every consumer. A record that cannot be read is parked at once on {@code <topic>.dlq}.
 * The others go to the stage together; if that fails because the broker or the database is unreachable, they wait
 * and are tried again, however long the outage lasts ({@link Outages}); if it fails for any other reason they are
 * split in halves and each half tried alone, down to the single record that fails, which is tried
 * {@code max-attempts} times and then parked with its error — the partition's next record runs. A batch is never
 * retried whole forever, and no record stalls a partition.
 */
@ApplicationScoped
public class Delivery {
    private static final Logger LOG = Logger.getLogger(Delivery.class);

    private final DeadLetters deadLetters;
    private final Outages outages;
    private final DeliverySettings config;
    private final MeterRegistry metrics;

    public Delivery(DeadLetters deadLetters, Outages outages, DeliverySettings config, MeterRegistry metrics) {
        this.deadLetters = deadLetters;
        this.outages = outages;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * A batched consumer's whole job: the poll's records through the stage, then the poll acknowledged (its offsets
     * committed) once each was processed or parked.
     */
    public <T> Uni<Void> consume(KafkaRecordBatch<String, String> batch, RecordStage<T> stage) {
        return process(InboundRecord.of(batch), stage).chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    /** Runs the records through the stage; completes once each was processed or parked. */
    public <T> Uni<Void> process(List<InboundRecord> records, RecordStage<T> stage) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        metrics.summary("engageflow.delivery.batch.size", "topic", records.get(0).topic()).record(records.size());
        List<RecordStage.Item<T>> items = new ArrayList<>(records.size());
        Uni<Void> unreadable = Uni.createFrom().voidItem();
        for (InboundRecord record : records) {
            Decoded<T> read;
            try {
                read = stage.read(record);
            } catch (RuntimeException e) {
                read = Decoded.failed("could not be read: " + Failures.describe(e));
            }
            if (read.isOk()) {
                items.add(new RecordStage.Item<>(record, read.value()));
            } else {
                String reason = "unreadable: " + String.join("; ", read.errors());
                unreadable = unreadable.chain(() -> park(record, null, reason, 1, stage));
            }
        }
        return items.isEmpty() ? unreadable : unreadable.chain(() -> group(items, stage));
    }

    private <T> Uni<Void> group(List<RecordStage.Item<T>> items, RecordStage<T> stage) {
        // an outage that outlasted the service's stop is not the records' fault: it fails the poll, which is not
        // acknowledged and comes again after the restart; only the records' own failures are split and parked
        return outages.waitOut(() -> stage.process(items)).onFailure(e -> !Failures.isTransient(e)).recoverWithUni(e -> {
            if (items.size() == 1) {
                return single(items.get(0), stage, e);
            }
            metrics.counter("engageflow.delivery.splits").increment();
            // a failure's message may quote a record: its type only above DEBUG
            LOG.warnf("a group of %d records failed (%s): trying them in halves", items.size(), e.getClass().getName());
            LOG.debugf("the group of %d records failed: %s", items.size(), Failures.describe(e));
            int half = items.size() / 2;
            return group(items.subList(0, half), stage).chain(() -> group(items.subList(half, items.size()), stage));
        });
    }

    /** The record failed once already (in its group or alone): up to max-attempts in all, then it is parked. */
    private <T> Uni<Void> single(RecordStage.Item<T> item, RecordStage<T> stage, Throwable first) {
        int more = Math.max(0, config.maxAttempts() - 1);
        Uni<Void> again = more == 0 ? Uni.createFrom().failure(first)
                : outages.waitOut(() -> stage.process(List.of(item)))
                        .onFailure().invoke(e -> {
                            LOG.warnf("%s failed again: %s", item.record().where(), e.getClass().getName());
                            LOG.debugf("%s failed again: %s", item.record().where(), Failures.describe(e));
                        })
                        .onFailure(e -> !Failures.isTransient(e)).retry()
                        .withBackOff(config.retryDelay(), config.retryDelay().multipliedBy(8)).atMost(more - 1L);
        return again.onFailure(e -> !Failures.isTransient(e)).recoverWithUni(e -> park(item.record(), item.value(),
                Failures.describe(e), config.maxAttempts(), stage));
    }

    private <T> Uni<Void> park(InboundRecord record, T value, String reason, int attempts, RecordStage<T> stage) {
        return outages.waitOut(() -> deadLetters.park(record, reason, attempts))
                .chain(() -> outages.waitOut(() -> stage.parked(record, value, reason))
                        .onFailure().invoke(e -> {
                            LOG.errorf("after parking %s: %s", record.where(), e.getClass().getName());
                            LOG.debugf("after parking %s: %s", record.where(), Failures.describe(e));
                        })
                        .onFailure().recoverWithNull());
    }
}
