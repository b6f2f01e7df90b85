package io.engageflow.orchestrator.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** A message written in the same transaction as the state change that causes it; the relay publishes it. */
@Entity
@Table(name = "outbox")
public class OutboxMessage extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String topic;
    @Column(name = "msg_key")
    public String key;
    public String payload;
    @Column(name = "created_at")
    public Instant createdAt;

    public static OutboxMessage of(String topic, String key, String payload) {
        OutboxMessage m = new OutboxMessage();
        m.topic = topic;
        m.key = key;
        m.payload = payload;
        m.createdAt = Instant.now();
        return m;
    }

    private static final int ROWS_PER_STATEMENT = 250;

    /**
     * Inserts the rows with one multi-row INSERT per {@value #ROWS_PER_STATEMENT} rows, in list order (ids follow
     * it), in the current transaction: one round trip where persisting entities with identity ids costs one each.
     */
    public static Uni<Void> insertAll(List<OutboxMessage> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<OutboxMessage> chunk = rows.subList(0, Math.min(rows.size(), ROWS_PER_STATEMENT));
        StringBuilder sql = new StringBuilder("INSERT INTO outbox (topic, msg_key, payload, created_at) VALUES ");
        for (int i = 0; i < chunk.size(); i++) {
            int p = 4 * i;
            sql.append(i == 0 ? "" : ", ").append("(?").append(p + 1).append(", ?").append(p + 2).append(", ?")
                    .append(p + 3).append(", ?").append(p + 4).append(")");
        }
        return Panache.getSession().chain(session -> {
            var insert = session.createNativeQuery(sql.toString());
            for (int i = 0; i < chunk.size(); i++) {
                OutboxMessage m = chunk.get(i);
                insert.setParameter(4 * i + 1, m.topic).setParameter(4 * i + 2, m.key)
                        .setParameter(4 * i + 3, m.payload).setParameter(4 * i + 4, m.createdAt);
            }
            return insert.executeUpdate();
        }).chain(() -> insertAll(rows.subList(chunk.size(), rows.size())));
    }
}
