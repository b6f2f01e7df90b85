package io.engageflow.common.delivery;

import io.engageflow.common.config.DeliverySettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The transactional outbox, used where an input's redelivery could not produce its output again (a decision of the
 * orchestrator, a trigger forwarded once). Rows are written in the caller's transaction; after commit the caller
 * hands the same records straight to the producer ({@link #publish}); acknowledged rows are deleted in batches. The
 * table is only the recovery log: a row still there after {@code recovery-age} was left by a crash or an outage and
 * is sent by {@link #recover}, in id order, rows locked with SKIP LOCKED so replicas share the work.
 *
 * <p>Order: the consumer that made a change publishes it, in commit order, before it takes its next records, so one
 * key's records keep their order. Only the recovery of a crashed process's rows can repeat a record (consumers
 * de-duplicate by id).
 */
@ApplicationScoped
public class Outbox {
    private static final Logger LOG = Logger.getLogger(Outbox.class);
    private static final int RECOVERY_BATCH = 500;
    private static final String INSERT = "INSERT INTO outbox (topic, msg_key, payload, created_at) "
            + "SELECT t, k, p, now() FROM UNNEST($1::varchar[], $2::varchar[], $3::text[]) AS u(t, k, p) RETURNING id";
    /** With the records' trace context, so a record recovered after a crash stays in its trace. */
    private static final String INSERT_TRACED = "INSERT INTO outbox (topic, msg_key, payload, trace_parent, trace_state, "
            + "created_at) SELECT t, k, p, tp, ts, now() FROM UNNEST($1::varchar[], $2::varchar[], $3::text[], "
            + "$4::varchar[], $5::varchar[]) AS u(t, k, p, tp, ts) RETURNING id";

    private final Pool pool;
    private final KafkaSender sender;
    private final Outages outages;
    private final DeliverySettings config;
    private final MeterRegistry metrics;
    /** Rows this process is sending from memory right now: the recovery leaves them alone. */
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    /** Rows the broker acknowledged, deleted by the next flush. */
    private final ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean recovering = new AtomicBoolean();
    /** Whether this service has an outbox table at all (action services answer from their command log instead). */
    private volatile Boolean hasTable;

    public Outbox(Pool pool, KafkaSender sender, Outages outages, DeliverySettings config, MeterRegistry metrics) {
        this.pool = pool;
        this.sender = sender;
        this.outages = outages;
        this.config = config;
        this.metrics = metrics;
    }

    /** Records written in a transaction, to be published once it committed. */
    public record Pending(List<OutboundRecord> records, List<Long> ids) {
        public static final Pending NONE = new Pending(List.of(), List.of());

        public boolean isEmpty() {
            return records.isEmpty();
        }
    }

    /** Writes the records in the caller's transaction with one statement. */
    public Uni<Pending> write(SqlConnection tx, List<OutboundRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().item(Pending.NONE);
        }
        for (OutboundRecord r : records) {
            sender.checkSize(r); // a row that could never be sent must not be written: it would stall the recovery
        }
        int n = records.size();
        String[] topics = new String[n];
        String[] keys = new String[n];
        String[] values = new String[n];
        String[] traceParents = null; // only when a record carries a trace (tracing on): else the plain statement
        String[] traceStates = null;
        for (int i = 0; i < n; i++) {
            OutboundRecord r = records.get(i);
            topics[i] = r.topic();
            keys[i] = r.key();
            values[i] = r.value();
            if (r.traceParent() != null) {
                if (traceParents == null) {
                    traceParents = new String[n];
                    traceStates = new String[n];
                }
                traceParents[i] = r.traceParent();
                traceStates[i] = r.traceState();
            }
        }
        Uni<RowSet<Row>> inserted = traceParents == null
                ? tx.preparedQuery(INSERT).execute(Tuple.of(topics, keys, values))
                : tx.preparedQuery(INSERT_TRACED).execute(Tuple.of(topics, keys, values, traceParents, traceStates));
        return inserted.map(rows -> {
            List<Long> ids = new ArrayList<>(n);
            for (Row row : rows) {
                ids.add(row.getLong(0));
            }
            return new Pending(records, ids);
        });
    }

    /**
     * After commit: sends the records and marks their rows for deletion once acknowledged. While the broker is
     * unreachable it waits and sends again (the records are in memory and in the table), so the caller goes on only
     * once they are out, keeping one key's records in order; the transaction is never run twice for a publish.
     */
    public Uni<Void> publish(Pending pending) {
        if (pending.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // in flight from now on (after commit: rows of a transaction whose outcome was lost stay the recovery's)
        inFlight.addAll(pending.ids());
        return outages.waitOut(() -> sender.send(pending.records()))
                .invoke(() -> acknowledged.addAll(pending.ids()))
                .eventually(() -> pending.ids().forEach(inFlight::remove)); // if not sent, the recovery's now
    }

    /**
     * Every few seconds: deletes acknowledged rows (one statement), then sends what a crash or an outage left behind.
     */
    @Scheduled(every = "${engageflow.delivery.outbox.recovery-interval:2s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> maintain() {
        if (outages.stopping() || !recovering.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        return tableExists().chain(exists -> exists ? flushAcknowledged().chain(this::recover)
                        : Uni.createFrom().voidItem())
                .onFailure().invoke(e -> LOG.warnf("outbox maintenance failed, next round retries: %s",
                        Failures.describe(e)))
                .onFailure().recoverWithNull().replaceWithVoid()
                .eventually(() -> recovering.set(false));
    }

    private Uni<Boolean> tableExists() {
        if (hasTable != null) {
            return Uni.createFrom().item(hasTable);
        }
        return pool.query("SELECT to_regclass('outbox') IS NOT NULL").execute()
                .map(rows -> hasTable = rows.iterator().next().getBoolean(0));
    }

    private Uni<Void> flushAcknowledged() {
        List<Long> ids = new ArrayList<>();
        for (Long id; (id = acknowledged.poll()) != null; ) {
            ids.add(id);
        }
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("DELETE FROM outbox WHERE id = ANY($1)").execute(Tuple.of(ids.toArray(Long[]::new)))
                .onFailure().invoke(() -> acknowledged.addAll(ids)) // deleted next round
                .replaceWithVoid();
    }

    /** Sends rows older than the recovery age that no live publish owns, in id order, then deletes them. */
    Uni<Void> recover() {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT id, topic, msg_key, payload, trace_parent, trace_state FROM outbox "
                        + "WHERE created_at < now() - make_interval(secs => $1) ORDER BY id LIMIT "
                        + RECOVERY_BATCH + " FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of((double) config.outbox().recoveryAge().toMillis() / 1000))
                .chain(rows -> {
                    List<Long> ids = new ArrayList<>();
                    List<OutboundRecord> records = new ArrayList<>();
                    for (Row row : rows) {
                        long id = row.getLong("id");
                        if (!inFlight.contains(id)) {
                            ids.add(id);
                            records.add(new OutboundRecord(row.getString("topic"), row.getString("msg_key"),
                                    row.getString("payload"), row.getString("trace_parent"),
                                    row.getString("trace_state")));
                        }
                    }
                    if (ids.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    LOG.infof("outbox recovery: sending %d records left by a crash or an outage", ids.size());
                    metrics.counter("engageflow.outbox.recovered").increment(ids.size());
                    return sender.send(records).chain(() -> tx.preparedQuery("DELETE FROM outbox WHERE id = ANY($1)")
                            .execute(Tuple.of(ids.toArray(Long[]::new)))).replaceWithVoid();
                }));
    }
}
