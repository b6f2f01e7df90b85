package io.engageflow.common.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The poison rule, one for every consumer: a poll's records go to the stage together; if that fails because the
 * broker or the database is unreachable, the records wait and are tried again, however long the outage lasts
 * ({@link Outages}); if it fails for any other reason the records are split in halves and each half tried alone,
 * down to the single record that fails, which is tried {@code max-attempts} times and then parked on
 * {@code <topic>.dlq} with its error — the partition's next record runs. A batch is never retried whole forever,
 * and no record stalls a partition.
 */
@ApplicationScoped
public class Delivery {
    private static final Logger LOG = Logger.getLogger(Delivery.class);

    private final DeadLetters deadLetters;
    private final Outages outages;
    private final DeliveryConfig config;
    private final MeterRegistry metrics;

    public Delivery(DeadLetters deadLetters, Outages outages, DeliveryConfig config, MeterRegistry metrics) {
        this.deadLetters = deadLetters;
        this.outages = outages;
        this.config = config;
        this.metrics = metrics;
    }

    /** Runs the records through the stage; completes once each was processed or parked. */
    public Uni<Void> process(List<InboundRecord> records, RecordStage stage) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        metrics.summary("engageflow.delivery.batch.size", "topic", records.get(0).topic()).record(records.size());
        return group(records, stage);
    }

    /**
     * Parks a record at once, without trying it: for a record the stage found unreadable (not JSON, a required
     * field missing), which no retry can mend.
     */
    public Uni<Void> park(InboundRecord record, String reason, RecordStage stage) {
        return park(record, reason, 1, stage);
    }

    private Uni<Void> group(List<InboundRecord> records, RecordStage stage) {
        return outages.waitOut(() -> stage.process(records)).onFailure().recoverWithUni(e -> {
            if (records.size() == 1) {
                return single(records.get(0), stage, e);
            }
            metrics.counter("engageflow.delivery.splits").increment();
            LOG.warnf("a group of %d records failed (%s): trying them in halves", records.size(),
                    Failures.describe(e));
            int half = records.size() / 2;
            return group(records.subList(0, half), stage)
                    .chain(() -> group(records.subList(half, records.size()), stage));
        });
    }

    /** The record failed once already (in its group or alone): up to max-attempts in all, then it is parked. */
    private Uni<Void> single(InboundRecord record, RecordStage stage, Throwable first) {
        int more = Math.max(0, config.maxAttempts() - 1);
        Uni<Void> again = more == 0 ? Uni.createFrom().failure(first)
                : outages.waitOut(() -> stage.process(List.of(record)))
                        .onFailure().invoke(e -> LOG.warnf("%s failed again: %s", record.where(), Failures.describe(e)))
                        .onFailure().retry().withBackOff(config.retryDelay(), config.retryDelay().multipliedBy(8))
                        .atMost(more - 1L);
        return again.onFailure().recoverWithUni(e -> park(record, Failures.describe(e), config.maxAttempts(), stage));
    }

    private Uni<Void> park(InboundRecord record, String reason, int attempts, RecordStage stage) {
        return outages.waitOut(() -> deadLetters.park(record, reason, attempts))
                .chain(() -> stage.parked(record, reason)
                        .onFailure().invoke(e -> LOG.errorf("after parking %s: %s", record.where(),
                                Failures.describe(e)))
                        .onFailure().recoverWithNull());
    }
}
