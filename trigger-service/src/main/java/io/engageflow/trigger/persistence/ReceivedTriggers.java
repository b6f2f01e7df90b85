package io.engageflow.trigger.persistence;

import io.engageflow.contracts.TriggerEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** Table {@code received_trigger}: one row per (workspace, eventId) ever accepted, the de-duplication record. */
@ApplicationScoped
public class ReceivedTriggers {
    /**
     * One statement for a whole poll. Rows go in key order, so two transactions that share keys wait for each other
     * instead of deadlocking; a key another transaction holds uncommitted is waited for, then skipped.
     */
    private static final String RECORD_NEW = "INSERT INTO received_trigger "
            + "(workspace_id, event_id, type, contact_id, received_at) "
            + "SELECT w, e, t, c, now() FROM UNNEST($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[]) "
            + "AS u(w, e, t, c) ON CONFLICT DO NOTHING RETURNING workspace_id, event_id";

    /** The de-duplication key of a trigger. */
    public record Key(String workspaceId, String eventId) implements Comparable<Key> {
        public static Key of(TriggerEvent trigger) {
            return new Key(trigger.workspaceId(), trigger.eventId());
        }

        @Override
        public int compareTo(Key other) {
            int byWorkspace = workspaceId.compareTo(other.workspaceId);
            return byWorkspace != 0 ? byWorkspace : eventId.compareTo(other.eventId);
        }
    }

    /**
     * Records the triggers in the caller's transaction and answers the keys that were new: each of those is this
     * transaction's to forward. A key that occurs twice in {@code triggers} is recorded for its first copy.
     */
    public Uni<Set<Key>> recordNew(SqlConnection tx, List<TriggerEvent> triggers) {
        TreeMap<Key, TriggerEvent> byKey = new TreeMap<>();
        for (TriggerEvent t : triggers) {
            byKey.putIfAbsent(Key.of(t), t);
        }
        int n = byKey.size();
        String[] workspaces = new String[n];
        String[] eventIds = new String[n];
        String[] types = new String[n];
        String[] contacts = new String[n];
        int i = 0;
        for (TriggerEvent t : byKey.values()) {
            workspaces[i] = t.workspaceId();
            eventIds[i] = t.eventId();
            types[i] = t.type();
            contacts[i] = t.contact().id();
            i++;
        }
        return tx.preparedQuery(RECORD_NEW).execute(Tuple.of(workspaces, eventIds, types, contacts)).map(rows -> {
            Set<Key> fresh = new HashSet<>();
            for (Row row : rows) {
                fresh.add(new Key(row.getString(0), row.getString(1)));
            }
            return fresh;
        });
    }
}
