package io.engageflow.reward.persistence;

import io.engageflow.reward.domain.RewardProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/** Table reward_profile (one row per contact of a workspace, key {@code workspace/contactId}), in plain SQL. */
@ApplicationScoped
public class ProfileStore {
    private static final String COLUMNS = "points, tier, achievements_json, entries_json, cards_json, scores_json";

    /**
     * The contact's profile, its row locked until the transaction ends, created empty on first use. One statement:
     * the upsert inserts the row, or finds it and takes its lock by rewriting a column with its own value; either way
     * it returns the row's latest committed values (a concurrent change is waited for, not read stale).
     */
    public Uni<RewardProfile> lock(SqlClient tx, String workspaceId, String contactId, Instant at) {
        return tx.preparedQuery("INSERT INTO reward_profile (key, workspace_id, contact_id, updated_at) "
                        + "VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET updated_at = reward_profile.updated_at "
                        + "RETURNING " + COLUMNS)
                .execute(Tuple.of(key(workspaceId, contactId), workspaceId, contactId, Timestamps.bind(at)))
                .map(rows -> profile(rows.iterator().next()));
    }

    /** Stores a changed profile; its row was locked by {@link #lock} in this transaction. */
    public Uni<Void> save(SqlClient tx, String workspaceId, String contactId, RewardProfile p, Instant at) {
        return tx.preparedQuery("UPDATE reward_profile SET points = $2, tier = $3, achievements_json = $4, "
                        + "entries_json = $5, cards_json = $6, scores_json = $7, updated_at = $8 WHERE key = $1")
                .execute(Tuple.from(new Object[] {key(workspaceId, contactId), p.points(), p.tier(),
                        p.achievementsJson(), p.entriesJson(), p.cardsJson(), p.scoresJson(), Timestamps.bind(at)}))
                .replaceWithVoid();
    }

    public Uni<Optional<RewardProfile>> find(SqlClient client, String workspaceId, String contactId) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM reward_profile WHERE key = $1")
                .execute(Tuple.of(key(workspaceId, contactId)))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(profile(rows.iterator().next())));
    }

    private static String key(String workspaceId, String contactId) {
        return workspaceId + "/" + contactId;
    }

    private static RewardProfile profile(Row r) {
        return new RewardProfile(r.getLong("points"), r.getString("tier"), r.getString("achievements_json"),
                r.getString("entries_json"), r.getString("cards_json"), r.getString("scores_json"));
    }
}
