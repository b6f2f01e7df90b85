package io.engageflow.runtime.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Table processed_command, the commandId idempotency record of every action effect: one statement per poll for each
 * step (arrays unnested), plain SQL on the reactive client. A row is a claim ({@code claimed_at}) and, once the
 * command ran, its result ({@code result_json}). A claim without a result is a command in flight, or one a crash
 * left behind; it holds for the claim lease, renewed by the process that holds it.
 */
@ApplicationScoped
public class CommandLog {
    private static final String CLAIM = "INSERT INTO processed_command (command_id, instance_id, action, claimed_at) "
            + "SELECT c, i, left(a, 100), now() FROM UNNEST($1::varchar[], $2::varchar[], $3::varchar[]) AS u(c, i, a) "
            + "ON CONFLICT (command_id) DO NOTHING RETURNING command_id";
    private static final String RECLAIM = "UPDATE processed_command SET claimed_at = now() "
            + "WHERE command_id = ANY($1::varchar[]) AND result_json IS NULL "
            + "AND claimed_at < now() - make_interval(secs => $2) RETURNING command_id";
    private static final String RESULTS = "SELECT command_id, result_json FROM processed_command "
            + "WHERE command_id = ANY($1::varchar[])";
    private static final String RECORD = "UPDATE processed_command p SET result_json = u.r, processed_at = now() "
            + "FROM UNNEST($1::varchar[], $2::text[]) AS u(c, r) "
            + "WHERE p.command_id = u.c AND p.result_json IS NULL RETURNING p.command_id";
    private static final String RENEW = "UPDATE processed_command SET claimed_at = now() "
            + "WHERE command_id = ANY($1::varchar[]) AND result_json IS NULL";
    private static final String RECORD_PARKED = "INSERT INTO processed_command AS p "
            + "(command_id, instance_id, action, claimed_at, result_json, processed_at) "
            + "VALUES ($1, $2, left($3, 100), now(), $4, now()) ON CONFLICT (command_id) DO UPDATE SET "
            + "result_json = COALESCE(p.result_json, EXCLUDED.result_json), "
            + "processed_at = COALESCE(p.processed_at, EXCLUDED.processed_at) RETURNING result_json";

    private final Pool pool;

    public CommandLog(Pool pool) {
        this.pool = pool;
    }

    /** A command to claim. */
    public record Claim(String commandId, String instanceId, String action) {
    }

    /** A result to record. */
    public record Result(String commandId, String json) {
    }

    /**
     * Claims the commands not seen before with one statement; returns the ids claimed now. A command another
     * transaction is claiming at this moment waits for it, then counts as seen. Rows are inserted in id order, so
     * two polls claiming the same commands lock them in the same order.
     */
    public Uni<Set<String>> claim(SqlConnection tx, List<Claim> claims) {
        List<Claim> sorted = new ArrayList<>(claims);
        sorted.sort(java.util.Comparator.comparing(Claim::commandId));
        int n = sorted.size();
        String[] ids = new String[n];
        String[] instances = new String[n];
        String[] actions = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = sorted.get(i).commandId();
            instances[i] = sorted.get(i).instanceId();
            actions[i] = sorted.get(i).action();
        }
        return tx.preparedQuery(CLAIM).execute(Tuple.of(ids, instances, actions)).map(CommandLog::ids);
    }

    /** Claims again those of the commands whose claim has no result and is older than the lease. */
    public Uni<Set<String>> reclaimExpired(SqlConnection tx, List<String> commandIds, Duration lease) {
        if (commandIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return tx.preparedQuery(RECLAIM).execute(Tuple.of(sorted(commandIds), lease.toMillis() / 1000.0))
                .map(CommandLog::ids);
    }

    /** The recorded results of the commands: id → result JSON, or id → null for a claim without a result. */
    public Uni<Map<String, String>> results(SqlClient client, List<String> commandIds) {
        if (commandIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery(RESULTS).execute(Tuple.of((Object) commandIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, String> results = new HashMap<>();
                    for (Row row : rows) {
                        results.put(row.getString("command_id"), row.getString("result_json"));
                    }
                    return results;
                });
    }

    /**
     * Records results with one statement, each only where the command has none yet (the first result recorded
     * stands); returns the ids recorded now.
     */
    public Uni<Set<String>> record(SqlConnection tx, List<Result> results) {
        if (results.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        int n = results.size();
        String[] ids = new String[n];
        String[] jsons = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = results.get(i).commandId();
            jsons[i] = results.get(i).json();
        }
        return tx.preparedQuery(RECORD).execute(Tuple.of(ids, jsons)).map(CommandLog::ids);
    }

    /** Keeps the claims of commands in flight in this process from expiring. */
    public Uni<Void> renew(List<String> commandIds) {
        if (commandIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(RENEW).execute(Tuple.of((Object) sorted(commandIds))).replaceWithVoid();
    }

    /**
     * Records the result of a parked command unless it has one already (claimed or not before); returns the result
     * recorded, which is the one to publish.
     */
    public Uni<String> recordParked(String commandId, String instanceId, String action, String json) {
        return pool.preparedQuery(RECORD_PARKED).execute(Tuple.of(commandId, instanceId, action, json))
                .map(rows -> rows.iterator().next().getString("result_json"));
    }

    private static String[] sorted(List<String> ids) {
        return ids.stream().sorted().toArray(String[]::new);
    }

    private static Set<String> ids(Iterable<Row> rows) {
        Set<String> ids = new HashSet<>();
        for (Row row : rows) {
            ids.add(row.getString(0));
        }
        return ids;
    }
}
