package io.engageflow.reward.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.reward.domain.EntryTags;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** Table entry_tags (one row per competition entry of a workspace, key {@code workspace/entryId}), in plain SQL. */
@ApplicationScoped
public class EntryTagsStore {
    private static final TypeReference<List<String>> TAGS = new TypeReference<>() { };

    /**
     * The entry's tags, its row locked until the transaction ends, created empty on first use: one upsert, as
     * {@link ProfileStore#lock} does it.
     */
    public Uni<EntryTags> lock(SqlClient tx, String workspaceId, String entryId, Instant at) {
        return tx.preparedQuery("INSERT INTO entry_tags (key, workspace_id, entry_id, updated_at) VALUES ($1, $2, $3, $4) "
                        + "ON CONFLICT (key) DO UPDATE SET updated_at = entry_tags.updated_at RETURNING tags_json")
                .execute(Tuple.of(key(workspaceId, entryId), workspaceId, entryId, Timestamps.bind(at)))
                .map(rows -> new EntryTags(entryId, JsonCodec.read(rows.iterator().next().getString(0), TAGS)));
    }

    /** Stores the entry's tags; its row was locked by {@link #lock} in this transaction. */
    public Uni<Void> save(SqlClient tx, String workspaceId, EntryTags tags, Instant at) {
        return tx.preparedQuery("UPDATE entry_tags SET tags_json = $2, updated_at = $3 WHERE key = $1")
                .execute(Tuple.of(key(workspaceId, tags.entryId()), JsonCodec.encode(tags.tags()), Timestamps.bind(at)))
                .replaceWithVoid();
    }

    private static String key(String workspaceId, String entryId) {
        return workspaceId + "/" + entryId;
    }
}
