package io.engageflow.orchestrator.persistence;

import io.engageflow.orchestrator.domain.instance.RunStatus;
import io.engageflow.orchestrator.domain.stats.DurationBuckets;
import io.engageflow.orchestrator.domain.stats.StatsBatch;
import io.engageflow.orchestrator.domain.stats.StatsBatch.Counter;
import io.engageflow.orchestrator.domain.stats.StatsBatch.Failure;
import io.engageflow.orchestrator.domain.stats.StatsBatch.Version;
import io.engageflow.orchestrator.domain.stats.WorkflowStats;
import io.engageflow.orchestrator.domain.stats.WorkflowStats.RecentFailure;
import io.engageflow.orchestrator.domain.stats.WorkflowStats.StepStats;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Workflow run statistics (tables of V5__workflow_stats.sql): written by the engine with each batch, one statement
 * for the whole batch, and read per request from the counters alone — a few rows per step, never the instances.
 */
@ApplicationScoped
public class StatsStore {
    /**
     * Adds the batch's counters (in the batch's key order, shard last, so concurrent batches lock shared counters in
     * one order and cannot deadlock) and puts its failures in the ring of each version's last ones. The ring's slot of a failure
     * comes from the version's failure count as this very statement leaves it ({@code counted}), so no read comes
     * first; a version's ring rows are only written by the transaction holding its count's row lock.
     */
    private static final String RECORD = "WITH counted AS ("
            + "INSERT INTO workflow_stat AS s (workspace_id, workflow_id, version, step_id, kind, name, shard, n) "
            + "SELECT ws, wf, v, step, kind, name, shard, n FROM UNNEST($1::varchar[], $2::varchar[], $3::int[], "
            + "$4::varchar[], $5::varchar[], $6::varchar[], $7::smallint[], $8::bigint[]) WITH ORDINALITY "
            + "AS u(ws, wf, v, step, kind, name, shard, n, ord) ORDER BY ord "
            + "ON CONFLICT (workspace_id, workflow_id, version, step_id, kind, name, shard) "
            + "DO UPDATE SET n = s.n + EXCLUDED.n "
            + "RETURNING s.workspace_id, s.workflow_id, s.version, s.kind, s.n), "
            + "kept AS (INSERT INTO workflow_failure AS f (workspace_id, workflow_id, version, slot, seq, instance_id, "
            + "step_id, code, message, at) "
            + "SELECT u.ws, u.wf, u.v, ((c.n - u.back) % " + StatsBatch.KEEP_FAILURES + ")::int, c.n - u.back, "
            + "u.instance, u.step, u.code, u.message, u.at FROM UNNEST($9::varchar[], $10::varchar[], $11::int[], "
            + "$12::bigint[], $13::varchar[], $14::varchar[], $15::varchar[], $16::varchar[], $17::timestamptz[]) "
            + "AS u(ws, wf, v, back, instance, step, code, message, at) "
            + "JOIN counted c ON c.kind = '" + StatsBatch.FAILURES + "' AND c.workspace_id = u.ws "
            + "AND c.workflow_id = u.wf AND c.version = u.v "
            + "ON CONFLICT (workspace_id, workflow_id, version, slot) DO UPDATE SET seq = EXCLUDED.seq, "
            + "instance_id = EXCLUDED.instance_id, step_id = EXCLUDED.step_id, code = EXCLUDED.code, "
            + "message = EXCLUDED.message, at = EXCLUDED.at) "
            + "SELECT count(*) FROM counted";

    /**
     * Shards of a counter: a batch adds to one, picked at random, so that two batches that finish instances of the
     * same workflow at the same time wait for each other's commit on its counters one time in eight, not always.
     */
    static final int SHARDS = 8;

    private final Pool pool;

    public StatsStore(Pool pool) {
        this.pool = pool;
    }

    /** Writes a batch's statistics in the transaction of its instances: one statement, nothing when it is empty. */
    public Uni<Void> record(SqlClient tx, StatsBatch batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = batch.counters().size();
        String[] ws = new String[n], wf = new String[n], step = new String[n], kind = new String[n],
                name = new String[n];
        Integer[] version = new Integer[n];
        Short[] shard = new Short[n];
        Long[] delta = new Long[n];
        short batchShard = (short) ThreadLocalRandom.current().nextInt(SHARDS);
        int i = 0;
        for (Map.Entry<Counter, Long> e : batch.counters().entrySet()) {
            Counter c = e.getKey();
            ws[i] = c.workspaceId();
            wf[i] = c.workflowId();
            version[i] = c.version();
            step[i] = cut(c.stepId(), 200);
            kind[i] = c.kind();
            name[i] = cut(c.name(), 200);
            // one shard for the whole batch keeps the locking order of the sorted counters; the failures count is
            // one row, as it numbers the failures' ring
            shard[i] = StatsBatch.FAILURES.equals(c.kind()) ? 0 : batchShard;
            delta[i] = e.getValue();
            i++;
        }
        List<String> fWs = new ArrayList<>(), fWf = new ArrayList<>(), fInstance = new ArrayList<>(),
                fStep = new ArrayList<>(), fCode = new ArrayList<>(), fMessage = new ArrayList<>();
        List<Integer> fVersion = new ArrayList<>();
        List<Long> fBack = new ArrayList<>();
        List<OffsetDateTime> fAt = new ArrayList<>();
        for (Map.Entry<Version, List<Failure>> e : batch.failures().entrySet()) {
            Version v = e.getKey();
            List<Failure> kept = e.getValue();
            for (int j = 0; j < kept.size(); j++) {
                Failure f = kept.get(j);
                fWs.add(v.workspaceId());
                fWf.add(v.workflowId());
                fVersion.add(v.version());
                fBack.add((long) (kept.size() - 1 - j)); // the last of the batch is the count the statement leaves
                fInstance.add(f.instanceId());
                fStep.add(cut(f.stepId(), 200));
                fCode.add(cut(f.code(), 100));
                fMessage.add(cut(f.message(), 1000));
                fAt.add(f.at().atOffset(ZoneOffset.UTC));
            }
        }
        return tx.preparedQuery(RECORD).execute(Tuple.from(new Object[] {ws, wf, version, step, kind, name, shard, delta,
                fWs.toArray(String[]::new), fWf.toArray(String[]::new), fVersion.toArray(Integer[]::new),
                fBack.toArray(Long[]::new), fInstance.toArray(String[]::new), fStep.toArray(String[]::new),
                fCode.toArray(String[]::new), fMessage.toArray(String[]::new), fAt.toArray(OffsetDateTime[]::new)}))
                .replaceWithVoid();
    }

    /**
     * The workflow's statistics, of one version or (null) of all together; empty when the workspace has no such
     * workflow, or it has no such version.
     */
    public Uni<Optional<WorkflowStats>> read(String workspaceId, String workflowId, Integer version) {
        return pool.preparedQuery("SELECT latest_version FROM workflow WHERE key = $1")
                .execute(Tuple.of(WorkflowEntity.key(workspaceId, workflowId))).chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(Optional.empty());
                    }
                    int latest = rows.iterator().next().getInteger(0);
                    if (version != null && (version < 1 || version > latest)) {
                        return Uni.createFrom().item(Optional.empty());
                    }
                    return counters(workspaceId, workflowId, version)
                            .chain(stats -> failures(workspaceId, workflowId, version)
                                    .map(failures -> Optional.of(stats(stats, failures))));
                });
    }

    private record CounterRow(String stepId, String kind, String name, long n) {
    }

    private Uni<List<CounterRow>> counters(String workspaceId, String workflowId, Integer version) {
        return pool.preparedQuery("SELECT step_id, kind, name, sum(n) FROM workflow_stat WHERE workspace_id = $1 "
                        + "AND workflow_id = $2 AND ($3::int IS NULL OR version = $3) GROUP BY step_id, kind, name")
                .execute(Tuple.of(workspaceId, workflowId, version)).map(rows -> {
                    List<CounterRow> counters = new ArrayList<>();
                    for (Row row : rows) {
                        counters.add(new CounterRow(row.getString(0), row.getString(1), row.getString(2),
                                row.getLong(3)));
                    }
                    return counters;
                });
    }

    private Uni<List<RecentFailure>> failures(String workspaceId, String workflowId, Integer version) {
        return pool.preparedQuery("SELECT instance_id, step_id, code, message, at FROM workflow_failure "
                        + "WHERE workspace_id = $1 AND workflow_id = $2 AND ($3::int IS NULL OR version = $3) "
                        + "ORDER BY at DESC, seq DESC LIMIT " + StatsBatch.KEEP_FAILURES)
                .execute(Tuple.of(workspaceId, workflowId, version)).map(rows -> {
                    List<RecentFailure> failures = new ArrayList<>();
                    for (Row row : rows) {
                        failures.add(new RecentFailure(row.getString(0), row.getString(1), row.getString(2),
                                row.getString(3), row.getOffsetDateTime(4).toInstant()));
                    }
                    return failures;
                });
    }

    private static WorkflowStats stats(List<CounterRow> counters, List<RecentFailure> failures) {
        Map<String, Long> instances = new LinkedHashMap<>();
        for (RunStatus s : RunStatus.values()) {
            instances.put(s.json(), 0L);
        }
        Map<String, Map<String, Long>> paths = new TreeMap<>();
        Map<String, Map<Integer, Long>> durations = new HashMap<>();
        for (CounterRow c : counters) {
            switch (c.kind()) {
                case StatsBatch.STATUS -> instances.put(c.name(), c.n());
                case StatsBatch.PATH -> paths.computeIfAbsent(c.stepId(), k -> new TreeMap<>()).put(c.name(), c.n());
                case StatsBatch.MS -> {
                    paths.computeIfAbsent(c.stepId(), k -> new TreeMap<>());
                    durations.computeIfAbsent(c.stepId(), k -> new HashMap<>())
                            .merge(Integer.parseInt(c.name()), c.n(), Long::sum);
                }
                default -> {
                    // the failures count: it numbers the ring of recent failures, shown as that list
                }
            }
        }
        Map<String, StepStats> steps = new LinkedHashMap<>();
        paths.forEach((stepId, byPath) -> {
            Map<Integer, Long> histogram = durations.getOrDefault(stepId, Map.of());
            steps.put(stepId, new StepStats(byPath, DurationBuckets.quantile(histogram, 0.5),
                    DurationBuckets.quantile(histogram, 0.95)));
        });
        return new WorkflowStats(instances, steps, failures);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
