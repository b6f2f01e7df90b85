package io.engageflow.reward.persistence;

import io.engageflow.reward.domain.Coupon;
import io.engageflow.reward.domain.CouponOffer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Table coupon, in plain SQL. A coupon without contact is an unissued code of its offer's pool. Issuing writes the
 * coupons and adds them to the offer's {@code issued} count in one statement; the caller holds the offer row locked
 * ({@link OfferStore#lock}) from counting to issuing.
 */
@ApplicationScoped
public class CouponStore {
    /** Coupons of one offer, given as arrays; $3..$5 are null for unissued codes of a pool. */
    private static final String INSERT = "INSERT INTO coupon (id, offer_key, workspace_id, code, link, contact_id, "
            + "command_id, issued_at) SELECT u.id, $1, $2, u.code, u.link, $3::varchar, $4::varchar, $5::timestamptz "
            + "FROM UNNEST($6::varchar[], $7::varchar[], $8::varchar[]) AS u(id, code, link)";
    private static final String ISSUE_NEW = "WITH fresh AS (" + INSERT + " RETURNING 1) "
            + "UPDATE coupon_offer SET issued = issued + (SELECT count(*) FROM fresh) WHERE key = $1";
    private static final String ISSUE_FROM_POOL = "WITH taken AS (UPDATE coupon SET contact_id = $2, command_id = $3, "
            + "issued_at = $4 WHERE id IN (SELECT id FROM coupon WHERE offer_key = $1 AND contact_id IS NULL "
            + "ORDER BY id LIMIT $5) RETURNING id, code, link), "
            + "counted AS (UPDATE coupon_offer SET issued = issued + (SELECT count(*) FROM taken) WHERE key = $1) "
            + "SELECT id, code, link FROM taken ORDER BY id";

    /** A coupon issued to a contact and the name of its offer. */
    public record Held(Coupon coupon, String offerName) {
    }

    /** How many of the offer's coupons the contact holds. */
    public Uni<Long> countHeld(SqlClient tx, CouponOffer offer, String contactId) {
        return tx.preparedQuery("SELECT count(*) FROM coupon WHERE workspace_id = $1 AND contact_id = $2 "
                        + "AND offer_key = $3")
                .execute(Tuple.of(offer.workspaceId(), contactId, offer.key()))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Issues these new coupons to the contact, counted on the offer. */
    public Uni<List<Coupon>> issueNew(SqlClient tx, CouponOffer offer, List<Coupon> coupons, String contactId,
                                      String commandId, Instant at) {
        return tx.preparedQuery(ISSUE_NEW).execute(insertArgs(offer, coupons, contactId, commandId, at))
                .replaceWith(coupons);
    }

    /** Issues up to {@code count} codes of the offer's pool to the contact, counted on the offer. */
    public Uni<List<Coupon>> issueFromPool(SqlClient tx, CouponOffer offer, int count, String contactId,
                                           String commandId, Instant at) {
        return tx.preparedQuery(ISSUE_FROM_POOL)
                .execute(Tuple.of(offer.key(), contactId, commandId, Timestamps.bind(at), count))
                .map(CouponStore::coupons);
    }

    /** Adds unissued codes to the offer's pool. */
    public Uni<Void> addToPool(SqlClient tx, CouponOffer offer, List<Coupon> coupons) {
        return tx.preparedQuery(INSERT).execute(insertArgs(offer, coupons, null, null, null)).replaceWithVoid();
    }

    /** The coupons issued to a contact of the workspace, oldest first. */
    public Uni<List<Held>> heldBy(SqlClient client, String workspaceId, String contactId) {
        return client.preparedQuery("SELECT id, code, link, offer_key FROM coupon WHERE workspace_id = $1 "
                        + "AND contact_id = $2 ORDER BY issued_at, id")
                .execute(Tuple.of(workspaceId, contactId))
                .map(rows -> {
                    List<Held> held = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        held.add(new Held(coupon(r), r.getString("offer_key").substring(workspaceId.length() + 1)));
                    }
                    return held;
                });
    }

    private static Tuple insertArgs(CouponOffer offer, List<Coupon> coupons, String contactId, String commandId,
                                    Instant at) {
        return Tuple.from(new Object[] {offer.key(), offer.workspaceId(), contactId, commandId, Timestamps.bind(at),
                coupons.stream().map(Coupon::id).toArray(String[]::new),
                coupons.stream().map(Coupon::code).toArray(String[]::new),
                coupons.stream().map(Coupon::link).toArray(String[]::new)});
    }

    private static List<Coupon> coupons(RowSet<Row> rows) {
        List<Coupon> coupons = new ArrayList<>(rows.size());
        for (Row r : rows) {
            coupons.add(coupon(r));
        }
        return coupons;
    }

    private static Coupon coupon(Row r) {
        return new Coupon(r.getString("id"), r.getString("code"), r.getString("link"));
    }
}
