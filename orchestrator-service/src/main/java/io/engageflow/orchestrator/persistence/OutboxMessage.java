package io.engageflow.orchestrator.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

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
}
