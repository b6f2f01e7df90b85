package io.engageflow.reward.persistence;

import io.engageflow.reward.domain.CouponOffer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/** Table coupon_offer, in plain SQL. Its {@code issued} count moves with the coupons ({@link CouponStore}). */
@ApplicationScoped
public class OfferStore {
    private static final String SELECT = "SELECT key, workspace_id, name, total_limit, issued, valid_until, has_pool "
            + "FROM coupon_offer WHERE key = $1";

    /** The offer, its row locked until the transaction ends (issues of one offer apply one after the other). */
    public Uni<Optional<CouponOffer>> lock(SqlClient tx, String key) {
        return tx.preparedQuery(SELECT + " FOR UPDATE").execute(Tuple.of(key)).map(OfferStore::first);
    }

    public Uni<Optional<CouponOffer>> find(SqlClient client, String key) {
        return client.preparedQuery(SELECT).execute(Tuple.of(key)).map(OfferStore::first);
    }

    /** Inserts a new offer (nothing issued yet); false when the workspace has an offer of that name. */
    public Uni<Boolean> insert(SqlClient tx, CouponOffer offer, Instant createdAt) {
        return tx.preparedQuery("INSERT INTO coupon_offer (key, workspace_id, name, total_limit, issued, valid_until, "
                        + "has_pool, created_at) VALUES ($1, $2, $3, $4, 0, $5, $6, $7) ON CONFLICT (key) DO NOTHING")
                .execute(Tuple.from(new Object[] {offer.key(), offer.workspaceId(), offer.name(),
                    offer.totalLimit(), Timestamps.bind(offer.validUntil()), offer.hasPool(),
                    Timestamps.bind(createdAt)}))
                .map(rows -> rows.rowCount() == 1);
    }

    private static Optional<CouponOffer> first(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row r = rows.iterator().next();
        return Optional.of(new CouponOffer(r.getString("key"), r.getString("workspace_id"), r.getString("name"),
                r.getInteger("total_limit"), r.getInteger("issued"), Timestamps.read(r, "valid_until"),
                r.getBoolean("has_pool")));
    }
}
