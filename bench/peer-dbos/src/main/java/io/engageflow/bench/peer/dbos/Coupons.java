package io.engageflow.bench.peer.dbos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The coupon transaction of bench/peers/coupons.sql, the same statements as the Restate peer's. */
final class Coupons {
    private Coupons() {
    }

    /** @return the coupon's code, or null when the offer's limit is reached; runs in the caller's transaction */
    static String issue(Connection conn, String commandId, String contactId, String offerId) throws SQLException {
        int limit;
        int issued;
        try (PreparedStatement lock = conn.prepareStatement(
                "SELECT total_limit, issued FROM coupon_offer WHERE id = ? FOR UPDATE")) {
            lock.setString(1, offerId);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no coupon offer " + offerId);
                }
                limit = rs.getInt(1);
                issued = rs.getInt(2);
            }
        }
        String code = "C-" + commandId;
        try (PreparedStatement insert = conn.prepareStatement("INSERT INTO coupon (command_id, offer_id, "
                + "contact_id, code) VALUES (?, ?, ?, ?) ON CONFLICT (command_id) DO NOTHING RETURNING code")) {
            insert.setString(1, commandId);
            insert.setString(2, offerId);
            insert.setString(3, contactId);
            insert.setString(4, code);
            try (ResultSet rs = insert.executeQuery()) {
                if (!rs.next()) {
                    return code; // taken by an earlier attempt of this command
                }
            }
        }
        if (issued >= limit) {
            conn.rollback();
            return null;
        }
        try (PreparedStatement count = conn.prepareStatement(
                "UPDATE coupon_offer SET issued = issued + 1 WHERE id = ?")) {
            count.setString(1, offerId);
            count.executeUpdate();
        }
        return code;
    }
}
