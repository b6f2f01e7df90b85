package io.engageflow.orchestrator.persistence;

import io.engageflow.contracts.auth.ApiKeyGrant;
import io.engageflow.contracts.auth.ApiKeyUse;
import io.engageflow.contracts.auth.Role;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/** API keys of workspaces, by the SHA-256 of the key (the key itself is shown once and never stored). */
@ApplicationScoped
public class ApiKeyStore {
    private static final String COLUMNS = "id, workspace_id, name, role, key_hash, created_at, last_used_at, revoked_at";
    private final Pool pool;

    /** A key's row; {@code revokedAt} null while it works. */
    public record StoredKey(String id, String workspace, String name, Role role, String keyHash, Instant createdAt,
                            Instant lastUsedAt, Instant revokedAt) {
        public ApiKeyGrant grant() {
            return new ApiKeyGrant(id, workspace, name, role, keyHash, createdAt);
        }
    }

    public ApiKeyStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(StoredKey key) {
        return pool.preparedQuery("INSERT INTO api_key (id, workspace_id, name, role, key_hash, created_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.tuple(List.of(key.id(), key.workspace(), key.name(), key.role().wireName(),
                        key.keyHash(), utc(key.createdAt()))))
                .replaceWithVoid();
    }

    /** The workspace's live keys, oldest first. */
    public Uni<List<StoredKey>> live(String workspace) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_key WHERE workspace_id = $1 AND revoked_at IS NULL "
                        + "ORDER BY created_at, id")
                .execute(Tuple.of(workspace)).map(ApiKeyStore::keys);
    }

    /** Every key, live and revoked. */
    public Uni<List<StoredKey>> all() {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_key").execute().map(ApiKeyStore::keys);
    }

    /**
     * Revokes a key of the workspace (again: a repeat keeps the first time); the revoked row, or null when the
     * workspace has no such key.
     */
    public Uni<StoredKey> revoke(String workspace, String id) {
        return pool.preparedQuery("UPDATE api_key SET revoked_at = COALESCE(revoked_at, now()) WHERE workspace_id = $1 "
                        + "AND id = $2 RETURNING " + COLUMNS)
                .execute(Tuple.of(workspace, id))
                .map(rows -> rows.size() == 0 ? null : key(rows.iterator().next()));
    }

    /** Moves last-used times forward (never back: uses arrive from several services in any order). */
    public Uni<Void> used(List<ApiKeyUse> uses) {
        if (uses.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> ids = new ArrayList<>();
        List<OffsetDateTime> times = new ArrayList<>();
        for (ApiKeyUse u : uses) {
            ids.add(u.keyId());
            times.add(utc(u.at()));
        }
        return pool.preparedQuery("UPDATE api_key k SET last_used_at = GREATEST(k.last_used_at, u.at) FROM "
                        + "(SELECT id, max(at) AS at FROM UNNEST($1::varchar[], $2::timestamptz[]) AS t(id, at) GROUP BY id) u "
                        + "WHERE k.id = u.id")
                .execute(Tuple.of(ids.toArray(String[]::new), times.toArray(OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    private static List<StoredKey> keys(Iterable<Row> rows) {
        return StreamSupport.stream(rows.spliterator(), false).map(ApiKeyStore::key).toList();
    }

    private static StoredKey key(Row r) {
        return new StoredKey(r.getString("id"), r.getString("workspace_id"), r.getString("name"),
                Role.parse(r.getString("role")).orElseThrow(), r.getString("key_hash"), instant(r, "created_at"),
                instant(r, "last_used_at"), instant(r, "revoked_at"));
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
