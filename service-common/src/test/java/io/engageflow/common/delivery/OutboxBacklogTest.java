package io.engageflow.common.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.common.config.DeliverySettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The outbox backlog gauge against a real PostgreSQL (127.0.0.1:5432, user postgres): it counts the rows a crash or an
 * outage left (older than the recovery age), not the ones a live publish is still sending, and a service without an
 * outbox table has no such gauge.
 */
class OutboxBacklogTest {
    private static final String BACKLOG = "engageflow.outbox.backlog";
    private static final String DATABASE = "engageflow_common_outbox_backlog_test";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static Vertx vertx;
    private static Pool pool;

    private static Pool connect(String database) {
        return PgPool.pool(vertx, new PgConnectOptions().setHost("127.0.0.1").setPort(5432).setUser("postgres")
                .setDatabase(database), new PoolOptions().setMaxSize(2));
    }

    private static void run(Pool on, String sql) {
        on.query(sql).execute().await().atMost(TIMEOUT);
    }

    @BeforeAll
    static void freshDatabase() {
        vertx = Vertx.vertx();
        Pool admin = connect("postgres");
        run(admin, "DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        run(admin, "CREATE DATABASE " + DATABASE);
        admin.close().await().atMost(TIMEOUT);
        pool = connect(DATABASE);
    }

    @AfterAll
    static void close() {
        pool.close().await().atMost(TIMEOUT);
        vertx.close().await().atMost(TIMEOUT);
    }

    private static DeliverySettings recoveryAge(Duration age) {
        DeliverySettings.Outbox outbox = only(DeliverySettings.Outbox.class, "recoveryAge", age);
        return only(DeliverySettings.class, "outbox", outbox);
    }

    /** A config interface that answers one method (the gauge reads no other). */
    private static <T> T only(Class<T> type, String name, Object value) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals(name)) {
                return value;
            }
            throw new UnsupportedOperationException(method.getName());
        }));
    }

    @Test
    void countsOnlyTheRowsOlderThanTheRecoveryAgeAndFollowsTheTableAsItDrains() {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        OutboxBacklog backlog = new OutboxBacklog(pool, recoveryAge(Duration.ofSeconds(10)), metrics);
        run(pool, "DROP TABLE IF EXISTS outbox");
        run(pool, "CREATE TABLE outbox (id BIGSERIAL PRIMARY KEY, topic VARCHAR(200) NOT NULL, msg_key VARCHAR(200), "
                + "payload TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL)");
        run(pool, "INSERT INTO outbox (topic, msg_key, payload, created_at) VALUES "
                + "('workflow.events', 'i1', '{}', now() - interval '1 hour'), "
                + "('actions.reward.commands', 'i2', '{}', now() - interval '11 seconds'), "
                // being published right now: no backlog
                + "('workflow.events', 'i3', '{}', now())");

        backlog.count().await().atMost(TIMEOUT);
        assertThat(metrics.get(BACKLOG).gauge().value()).isEqualTo(2.0);

        run(pool, "DELETE FROM outbox WHERE msg_key = 'i1'"); // the recovery sent one
        backlog.count().await().atMost(TIMEOUT);
        assertThat(metrics.get(BACKLOG).gauge().value()).isEqualTo(1.0);
        run(pool, "DROP TABLE outbox");
    }

    @Test
    void aServiceWithoutAnOutboxTableHasNoBacklogGauge() {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        OutboxBacklog backlog = new OutboxBacklog(pool, recoveryAge(Duration.ofSeconds(10)), metrics);
        run(pool, "DROP TABLE IF EXISTS outbox");

        backlog.count().await().atMost(TIMEOUT);

        assertThat(metrics.find(BACKLOG).gauge()).isNull();
    }
}
