package io.engageflow.common.delivery;

import io.engageflow.common.config.DeliverySettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The outbox's backlog as the gauge {@code engageflow.outbox.backlog}: rows older than the recovery age, which only a
 * crash or an outage leaves (a live publish deletes its rows within seconds, the recovery sends the rest every few
 * seconds). A backlog that stays above zero means the recovery cannot send: the broker refuses or is out of reach.
 * Counted by one cheap query every {@code engageflow.delivery.outbox.backlog-interval} (30 s), never per request; a
 * service without an outbox table (the action services) has no such gauge.
 */
@ApplicationScoped
public class OutboxBacklog {
    private static final Logger LOG = Logger.getLogger(OutboxBacklog.class);
    private static final String COUNT =
            "SELECT count(*) FROM outbox WHERE created_at < now() - make_interval(secs => $1)";

    private final Pool pool;
    private final DeliverySettings config;
    private final MeterRegistry metrics;
    private final AtomicLong backlog = new AtomicLong();
    /** Whether this service has an outbox table; unknown until the first count. */
    private final AtomicReference<Boolean> hasTable = new AtomicReference<>();

    public OutboxBacklog(Pool pool, DeliverySettings config, MeterRegistry metrics) {
        this.pool = pool;
        this.config = config;
        this.metrics = metrics;
    }

    @Scheduled(every = "${engageflow.delivery.outbox.backlog-interval:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledCount() {
        return count().onFailure().invoke(e -> LOG.warnf("outbox backlog count failed, next round retries: %s",
                Failures.describe(e))).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Counts the backlog and updates the gauge (registered with the first count of a service that has the table). */
    Uni<Void> count() {
        Boolean known = hasTable.get();
        Uni<Boolean> exists = known != null ? Uni.createFrom().item(known)
                : pool.query("SELECT to_regclass('outbox') IS NOT NULL").execute()
                        .map(rows -> rows.iterator().next().getBoolean(0))
                        .invoke(e -> {
                            if (e && hasTable.compareAndSet(null, true)) {
                                Gauge.builder("engageflow.outbox.backlog", backlog, AtomicLong::get)
                                        .description("outbox rows older than the recovery age: not yet sent")
                                        .register(metrics);
                            } else if (!e) {
                                hasTable.set(false);
                            }
                        });
        return exists.chain(e -> !e ? Uni.createFrom().voidItem()
                : pool.preparedQuery(COUNT)
                        .execute(Tuple.of((double) config.outbox().recoveryAge().toMillis() / 1000))
                        .invoke(rows -> backlog.set(rows.iterator().next().getLong(0)))
                        .replaceWithVoid());
    }
}
