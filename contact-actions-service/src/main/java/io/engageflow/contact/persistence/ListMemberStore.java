package io.engageflow.contact.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Table {@code list_member} (a contact's membership of a named list) in plain SQL. */
@ApplicationScoped
public class ListMemberStore {
    private static final String ADD = "INSERT INTO list_member (key, workspace_id, list_name, contact_id, added_at) "
            + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING";
    private static final String REMOVE = "DELETE FROM list_member WHERE key = $1";
    private static final String MEMBERS = "SELECT contact_id FROM list_member WHERE workspace_id = $1 "
            + "AND list_name = $2 ORDER BY added_at, contact_id";
    private static final String LISTS_OF = "SELECT list_name FROM list_member WHERE workspace_id = $1 "
            + "AND contact_id = $2 ORDER BY list_name";

    /** Adds the contact to the list; false when it was a member already. */
    public Uni<Boolean> add(SqlClient client, String workspaceId, String list, String contactId) {
        return client.preparedQuery(ADD).execute(Tuple.of(key(workspaceId, list, contactId), workspaceId, list,
                contactId, ContactStore.utc(Instant.now()))).map(rows -> rows.rowCount() > 0);
    }

    /** Removes the contact from the list; false when it was not a member. */
    public Uni<Boolean> remove(SqlClient client, String workspaceId, String list, String contactId) {
        return client.preparedQuery(REMOVE).execute(Tuple.of(key(workspaceId, list, contactId)))
                .map(rows -> rows.rowCount() > 0);
    }

    /** The list's members, first added first. */
    public Uni<List<String>> members(SqlClient client, String workspaceId, String list) {
        return client.preparedQuery(MEMBERS).execute(Tuple.of(workspaceId, list)).map(ListMemberStore::strings);
    }

    /** The lists the contact is a member of, by name. */
    public Uni<List<String>> listsOf(SqlClient client, String workspaceId, String contactId) {
        return client.preparedQuery(LISTS_OF).execute(Tuple.of(workspaceId, contactId))
                .map(ListMemberStore::strings);
    }

    static String key(String workspaceId, String list, String contactId) {
        return workspaceId + "/" + list + "/" + contactId;
    }

    private static List<String> strings(RowSet<Row> rows) {
        List<String> out = new ArrayList<>(rows.size());
        rows.forEach(row -> out.add(row.getString(0)));
        return out;
    }
}
