package io.engageflow.orchestrator.persistence;

import io.engageflow.contracts.ActionResult;
import io.engageflow.orchestrator.domain.instance.InstanceState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Instance rows on the engine's hot path, with plain SQL through the reactive client: one statement per batch
 * (arrays unnested), never one per row. Rows are locked in id order, so two batches cannot deadlock.
 */
@ApplicationScoped
public class InstanceStore {
    private static final String COLUMNS = "id, workspace_id, workflow_id, version, contact_id, status, started_at, "
            + "ended_at, state_json, trace_parent, trace_state";

    /**
     * Locked instances: those whose state could be read, and the rows whose stored state cannot be read back (never
     * expected; such a row must not wedge the engine: {@link #failUnreadable}).
     */
    public record Locked(Map<String, InstanceState> states, List<Unreadable> unreadable) {
        public List<String> unreadableIds() {
            return unreadable.stream().map(Unreadable::id).toList();
        }
    }

    /** A row whose state cannot be read: what its columns still tell (for the log line about it). */
    public record Unreadable(String id, String workspaceId, String traceParent) {
    }

    /** The instances with these ids, locked for the transaction; ids without a row are absent. */
    public Uni<Locked> lock(SqlClient tx, List<String> ids) {
        List<String> sorted = ids.stream().distinct().sorted().toList();
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM workflow_instance WHERE id = ANY($1) ORDER BY id "
                        + "FOR UPDATE")
                .execute(Tuple.of(sorted.toArray(String[]::new))).map(InstanceStore::states);
    }

    /** The instance with this id as stored now (not locked), or null when there is none or it cannot be read. */
    public Uni<InstanceState> find(SqlClient client, String id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM workflow_instance WHERE id = $1")
                .execute(Tuple.of(id)).map(rows -> states(rows).states().get(id));
    }

    /**
     * Running instances with something due now (a Delay, a result deadline), locked; rows another transaction holds
     * are skipped (another replica's clock is firing them).
     */
    public Uni<Locked> lockDue(SqlClient tx, int limit) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM workflow_instance WHERE status = 'running' "
                        + "AND next_due_at <= now() ORDER BY next_due_at LIMIT $1 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(limit)).map(InstanceStore::states);
    }

    /**
     * Inserts new instances; one whose workflow already has an instance for the trigger's eventId is not inserted
     * (a trigger delivered twice). A replay or a test run has its own key ({@link InstanceState#runKey()}): always
     * inserted. Returns the ids inserted.
     */
    public Uni<Set<String>> insertNew(SqlClient tx, List<InstanceState> instances) {
        if (instances.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        int n = instances.size();
        String[] id = new String[n], ws = new String[n], wf = new String[n], contact = new String[n],
                event = new String[n], status = new String[n], state = new String[n], replayOf = new String[n],
                traceParent = new String[n], traceState = new String[n];
        Integer[] version = new Integer[n];
        Boolean[] test = new Boolean[n];
        OffsetDateTime[] started = new OffsetDateTime[n], ended = new OffsetDateTime[n], due = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            InstanceState s = instances.get(i);
            id[i] = s.id;
            ws[i] = s.workspaceId;
            wf[i] = s.workflowId;
            version[i] = s.version;
            contact[i] = s.contactId;
            event[i] = s.runKey();
            status[i] = s.status.json();
            started[i] = time(s.startedAt);
            ended[i] = time(s.endedAt);
            due[i] = time(s.status.terminal() ? null : s.nextDueAt());
            state[i] = StoredState.encode(s);
            replayOf[i] = s.replayOf;
            test[i] = s.test;
            traceParent[i] = s.traceParent;
            traceState[i] = s.traceState;
        }
        return tx.preparedQuery("INSERT INTO workflow_instance (id, workspace_id, workflow_id, version, contact_id, "
                        + "trigger_event_id, status, started_at, ended_at, next_due_at, state_json, replay_of, test, "
                        + "trace_parent, trace_state) "
                        + "SELECT * FROM UNNEST($1::varchar[], $2::varchar[], $3::varchar[], $4::int[], $5::varchar[], "
                        + "$6::varchar[], $7::varchar[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], "
                        + "$11::text[], $12::varchar[], $13::boolean[], $14::varchar[], $15::text[]) "
                        + "ON CONFLICT (workspace_id, workflow_id, trigger_event_id) DO NOTHING RETURNING id")
                .execute(Tuple.from(new Object[] {id, ws, wf, version, contact, event, status, started, ended, due,
                        state, replayOf, test, traceParent, traceState}))
                .map(rows -> {
                    Set<String> inserted = new HashSet<>();
                    rows.forEach(row -> inserted.add(row.getString(0)));
                    return inserted;
                });
    }

    /**
     * The failed real runs of a workflow started in [from, to) that have no replay yet, oldest first: what a bulk
     * replay replays (asked again after a crash mid-way, it finds only the rest).
     */
    public Uni<List<String>> failedWithoutReplay(SqlClient client, String workspaceId, String workflowId,
                                                 Instant from, Instant to) {
        return client.preparedQuery("SELECT i.id FROM workflow_instance i WHERE i.workspace_id = $1 "
                        + "AND i.workflow_id = $2 AND i.status = 'failed' AND NOT i.test AND i.started_at >= $3 "
                        + "AND i.started_at < $4 AND NOT EXISTS (SELECT 1 FROM workflow_instance r "
                        + "WHERE r.replay_of = i.id) ORDER BY i.started_at, i.id")
                .execute(Tuple.of(workspaceId, workflowId, time(from), time(to))).map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString(0)));
                    return ids;
                });
    }

    /** Writes the changed instances back (status, times, state, trace context) with one statement. */
    public Uni<Void> update(SqlClient tx, List<InstanceState> instances) {
        if (instances.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = instances.size();
        String[] id = new String[n], status = new String[n], state = new String[n], traceParent = new String[n],
                traceState = new String[n];
        OffsetDateTime[] ended = new OffsetDateTime[n], due = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            InstanceState s = instances.get(i);
            id[i] = s.id;
            status[i] = s.status.json();
            ended[i] = time(s.endedAt);
            due[i] = time(s.status.terminal() ? null : s.nextDueAt());
            state[i] = StoredState.encode(s);
            traceParent[i] = s.traceParent;
            traceState[i] = s.traceState;
        }
        return tx.preparedQuery("UPDATE workflow_instance AS w SET status = u.status, ended_at = u.ended_at, "
                        + "next_due_at = u.due, state_json = u.state, trace_parent = u.tp, trace_state = u.ts "
                        + "FROM UNNEST($1::varchar[], $2::varchar[], $3::timestamptz[], $4::timestamptz[], $5::text[], "
                        + "$6::varchar[], $7::text[]) AS u(id, status, ended_at, due, state, tp, ts) WHERE w.id = u.id")
                .execute(Tuple.from(new Object[] {id, status, ended, due, state, traceParent, traceState}))
                .replaceWithVoid();
    }

    /** A result recorded but not applied, and why: its fields cut to their columns (a forged one may be huge). */
    public record IgnoredRow(String instanceId, String stepId, String commandId, String path, String reason) {
        public static IgnoredRow of(ActionResult r, String reason) {
            return new IgnoredRow(cut(r.instanceId(), 64), cut(r.stepId(), 200), cut(r.commandId(), 200),
                    cut(r.path(), 100), cut(reason, 500));
        }
    }

    public Uni<Void> recordIgnored(SqlClient tx, List<IgnoredRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = rows.size();
        String[] instance = new String[n], step = new String[n], command = new String[n], path = new String[n],
                reason = new String[n];
        for (int i = 0; i < n; i++) {
            IgnoredRow r = rows.get(i);
            instance[i] = r.instanceId() == null ? "" : r.instanceId();
            step[i] = r.stepId();
            command[i] = r.commandId();
            path[i] = r.path();
            reason[i] = r.reason();
        }
        return tx.preparedQuery("INSERT INTO ignored_result (instance_id, step_id, command_id, path, reason, "
                        + "received_at) SELECT i, s, c, p, r, now() FROM UNNEST($1::varchar[], $2::varchar[], "
                        + "$3::varchar[], $4::varchar[], $5::varchar[]) AS u(i, s, c, p, r)")
                .execute(Tuple.of(instance, step, command, path, reason)).replaceWithVoid();
    }

    /**
     * What a contact has of a workflow (test runs aside): any instance at all, one running, and one started by the very trigger asked
     * about (a trigger delivered twice).
     */
    public record ContactRuns(boolean any, boolean running, boolean sameEvent) {
        public static final ContactRuns NONE = new ContactRuns(false, false, false);
    }

    /** A question for {@link #contactRuns}: this contact's runs of this workflow, for this trigger. */
    public record RunQuery(String workspaceId, String workflowId, String contactId, String eventId) {
    }

    /** The answers, one query for all questions. */
    public Uni<Map<RunQuery, ContactRuns>> contactRuns(SqlClient tx, List<RunQuery> queries) {
        if (queries.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String[] ws = queries.stream().map(RunQuery::workspaceId).toArray(String[]::new);
        String[] wf = queries.stream().map(RunQuery::workflowId).toArray(String[]::new);
        String[] contact = queries.stream().map(RunQuery::contactId).toArray(String[]::new);
        String[] event = queries.stream().map(RunQuery::eventId).toArray(String[]::new);
        return tx.preparedQuery("SELECT u.ws, u.wf, u.c, u.e, bool_or(i.status = 'running'), "
                        + "bool_or(i.trigger_event_id = u.e) FROM UNNEST($1::varchar[], $2::varchar[], $3::varchar[], "
                        + "$4::varchar[]) AS u(ws, wf, c, e) JOIN workflow_instance i ON i.workspace_id = u.ws "
                        + "AND i.workflow_id = u.wf AND i.contact_id = u.c AND NOT i.test GROUP BY 1, 2, 3, 4")
                .execute(Tuple.of(ws, wf, contact, event)).map(rows -> {
                    Map<RunQuery, ContactRuns> runs = new HashMap<>();
                    for (Row row : rows) {
                        runs.put(new RunQuery(row.getString(0), row.getString(1), row.getString(2), row.getString(3)),
                                new ContactRuns(true, row.getBoolean(4), row.getBoolean(5)));
                    }
                    return runs;
                });
    }

    private static Locked states(RowSet<Row> rows) {
        Map<String, InstanceState> states = new LinkedHashMap<>();
        List<Unreadable> unreadable = new ArrayList<>();
        for (Row row : rows) {
            String id = row.getString("id");
            try {
                InstanceState s = StoredState.decode(id, row.getString("workspace_id"), row.getString("workflow_id"),
                        row.getInteger("version"), row.getString("contact_id"), row.getString("status"),
                        instant(row.getOffsetDateTime("started_at")), instant(row.getOffsetDateTime("ended_at")),
                        row.getString("state_json"));
                s.traceParent = row.getString("trace_parent");
                s.traceState = row.getString("trace_state");
                states.put(id, s);
            } catch (RuntimeException e) {
                unreadable.add(new Unreadable(id, row.getString("workspace_id"), row.getString("trace_parent")));
            }
        }
        return new Locked(states, unreadable);
    }

    /** The workflow version of an instance. */
    public record VersionOf(String workspaceId, String workflowId, int version) {
    }

    /**
     * Ends instances whose stored state cannot be read: failed, nothing due; their JSON is kept for a look. Returns
     * the version of each instance it ended (for the run statistics).
     */
    public Uni<List<VersionOf>> failUnreadable(SqlClient tx, List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return tx.preparedQuery("UPDATE workflow_instance SET status = 'failed', ended_at = now(), next_due_at = NULL "
                + "WHERE id = ANY($1) AND status = 'running' RETURNING workspace_id, workflow_id, version")
                .execute(Tuple.of(ids.toArray(String[]::new))).map(rows -> {
                    List<VersionOf> failed = new ArrayList<>();
                    rows.forEach(row -> failed.add(new VersionOf(row.getString(0), row.getString(1),
                            row.getInteger(2))));
                    return failed;
                });
    }

    private static OffsetDateTime time(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
