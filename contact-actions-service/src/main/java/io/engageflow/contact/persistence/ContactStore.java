package io.engageflow.contact.persistence;

import io.engageflow.contracts.ContactSnapshot;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Table {@code contact} in plain SQL, for the command path and the contact API alike. */
@ApplicationScoped
public class ContactStore {
    private static final String COLUMNS = "key, workspace_id, contact_id, email, phone, first_name, last_name, "
            + "properties_json, tags_json, data_as_of, updated_at";
    private static final String FIND = "SELECT " + COLUMNS + " FROM contact WHERE key = $1";
    private static final String LOCK = FIND + " FOR UPDATE";
    /**
     * One round trip for both cases: the stored row, locked (inserted = false), or, when there is none, the new
     * contact inserted as given (inserted = true). No row at all means another transaction inserted the contact
     * after this statement's snapshot was taken (ON CONFLICT waited for it): lock it with a statement of its own.
     */
    private static final String LOCK_OR_INSERT = "WITH stored AS (" + LOCK + "), "
            + "inserted AS (INSERT INTO contact (" + COLUMNS + ") SELECT $1::varchar, $2::varchar, $3::varchar, "
            + "$4::varchar, $5::varchar, $6::varchar, $7::varchar, $8::text, $9::text, $10::timestamptz, "
            + "$11::timestamptz WHERE NOT EXISTS (SELECT 1 FROM stored) ON CONFLICT (key) DO NOTHING "
            + "RETURNING " + COLUMNS + ") "
            + "SELECT false AS inserted, * FROM stored UNION ALL SELECT true, * FROM inserted";
    private static final String UPDATE = "UPDATE contact SET email = $2, phone = $3, first_name = $4, "
            + "last_name = $5, properties_json = $6, tags_json = $7, data_as_of = $8, updated_at = $9 WHERE key = $1";

    /**
     * Merges a snapshot taken at {@code asOf} into the contact ({@link ContactEntity#merge}: never over newer data),
     * applies {@code change} and writes the result in {@code tx}, the row locked until commit: one statement for a
     * new contact, two for a known one. {@code change} may run twice (on the contact as it would be new, then on the
     * stored one), so it must only change the contact it is given.
     */
    public Uni<ContactEntity> merge(SqlConnection tx, String workspaceId, ContactSnapshot snapshot, Instant asOf,
                                    Consumer<ContactEntity> change) {
        return merge(tx, workspaceId, snapshot, asOf, (stored, contact) -> change.accept(contact));
    }

    /**
     * As {@link #merge(SqlConnection, String, ContactSnapshot, Instant, Consumer)}; {@code change} also gets the
     * contact as it was stored before this merge (null for a new one), to tell what the command really changed.
     */
    public Uni<ContactEntity> merge(SqlConnection tx, String workspaceId, ContactSnapshot snapshot, Instant asOf,
                                    BiConsumer<ContactEntity, ContactEntity> change) {
        ContactEntity fresh = ContactEntity.create(workspaceId, snapshot.id(), asOf);
        fresh.merge(snapshot, asOf);
        change.accept(null, fresh);
        return tx.preparedQuery(LOCK_OR_INSERT).execute(Tuple.from(new Object[] {fresh.key, fresh.workspaceId,
                        fresh.contactId, fresh.email, fresh.phone, fresh.firstName, fresh.lastName,
                        fresh.propertiesJson, fresh.tagsJson, utc(fresh.dataAsOf), utc(fresh.updatedAt)}))
                .chain(rows -> {
                    Row row = first(rows);
                    if (row != null && row.getBoolean("inserted")) {
                        return Uni.createFrom().item(fresh);
                    }
                    Uni<Row> stored = row != null ? Uni.createFrom().item(row)
                            : tx.preparedQuery(LOCK).execute(Tuple.of(fresh.key)).map(ContactStore::first);
                    return stored.chain(r -> {
                        ContactEntity c = read(r);
                        c.merge(snapshot, asOf);
                        change.accept(read(r), c);
                        return update(tx, c).replaceWith(c);
                    });
                });
    }

    /** The contact, or null when this service has not seen it. */
    public Uni<ContactEntity> find(SqlClient client, String workspaceId, String contactId) {
        return client.preparedQuery(FIND).execute(Tuple.of(ContactEntity.key(workspaceId, contactId)))
                .map(rows -> {
                    Row row = first(rows);
                    return row == null ? null : read(row);
                });
    }

    private static Uni<Void> update(SqlConnection tx, ContactEntity c) {
        return tx.preparedQuery(UPDATE).execute(Tuple.from(new Object[] {c.key, c.email, c.phone, c.firstName,
                c.lastName, c.propertiesJson, c.tagsJson, utc(c.dataAsOf), utc(c.updatedAt)})).replaceWithVoid();
    }

    private static ContactEntity read(Row row) {
        if (row == null) {
            throw new IllegalStateException("contact row vanished while it was locked"); // rows are never deleted
        }
        ContactEntity c = new ContactEntity();
        c.key = row.getString("key");
        c.workspaceId = row.getString("workspace_id");
        c.contactId = row.getString("contact_id");
        c.email = row.getString("email");
        c.phone = row.getString("phone");
        c.firstName = row.getString("first_name");
        c.lastName = row.getString("last_name");
        c.propertiesJson = row.getString("properties_json");
        c.tagsJson = row.getString("tags_json");
        c.dataAsOf = row.getOffsetDateTime("data_as_of").toInstant();
        c.updatedAt = row.getOffsetDateTime("updated_at").toInstant();
        return c;
    }

    private static Row first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? it.next() : null;
    }

    static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
