package io.engageflow.common.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.common.config.DeliverySettings;
import io.engageflow.testsupport.KafkaBroker;
import io.engageflow.testsupport.PostgresDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A record written to the outbox with its trace context and left there by a crash is sent by the recovery with the
 * same traceparent and tracestate headers, so the run's trace goes on; a record without a trace (tracing off) is sent
 * without them. Real PostgreSQL (127.0.0.1:5432) and the test broker.
 */
class OutboxTraceTest {
    private static final String DATABASE = PostgresDatabases.name("engageflow_common_outbox_trace_test");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String TRACESTATE = "vendor=opaque";
    private static Vertx vertx;
    private static Pool pool;

    @BeforeAll
    static void freshDatabase() {
        PostgresDatabases.recreate(DATABASE);
        vertx = Vertx.vertx();
        pool = PgPool.pool(vertx, new PgConnectOptions().setHost(PostgresDatabases.HOST)
                .setPort(Integer.parseInt(PostgresDatabases.PORT)).setUser(PostgresDatabases.USER)
                .setPassword(PostgresDatabases.PASSWORD).setDatabase(DATABASE), new PoolOptions().setMaxSize(2));
        // the services' outbox table, with the trace columns their migrations add
        pool.query("CREATE TABLE outbox (id BIGSERIAL PRIMARY KEY, topic VARCHAR(200) NOT NULL, msg_key VARCHAR(200), "
                + "payload TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, trace_parent VARCHAR(100), "
                + "trace_state TEXT)").execute().await().atMost(TIMEOUT);
    }

    @AfterAll
    static void close() {
        pool.close().await().atMost(TIMEOUT);
        vertx.close().await().atMost(TIMEOUT);
    }

    /** The delivery settings the outbox and the sender read. */
    private static DeliverySettings config() {
        DeliverySettings.Outbox outbox = (DeliverySettings.Outbox) Proxy.newProxyInstance(
                DeliverySettings.Outbox.class.getClassLoader(), new Class<?>[] {DeliverySettings.Outbox.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "recoveryAge" -> Duration.ZERO;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (DeliverySettings) Proxy.newProxyInstance(DeliverySettings.class.getClassLoader(),
                new Class<?>[] {DeliverySettings.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "maxRecordBytes" -> 950_000;
                    case "publisher" -> Optional.empty();
                    case "producer" -> Map.of();
                    case "outbox" -> outbox;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aRecordRecoveredAfterACrashKeepsItsTraceContext() {
        String topic = "outbox-trace-" + UUID.randomUUID().toString().substring(0, 8);
        DeliverySettings config = config();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        KafkaSender sender = new KafkaSender(Map.of("bootstrap.servers", KafkaBroker.bootstrapServers()), config);
        Outbox outbox = new Outbox(pool, sender, new Outages(config, metrics), config, metrics);
        try (KafkaCompanion kafka = new KafkaCompanion(KafkaBroker.bootstrapServers())) {
            kafka.topics().createAndWait(topic, 1);
            // written in a transaction, never published: the process crashed after the commit
            pool.withTransaction(tx -> outbox.write(tx, List.of(
                    new OutboundRecord(topic, "i-1", "{\"n\":1}").withTrace(TRACEPARENT, TRACESTATE),
                    new OutboundRecord(topic, "i-2", "{\"n\":2}")))).await().atMost(TIMEOUT);

            outbox.recover().await().atMost(TIMEOUT);

            ConsumerTask<String, String> sent = kafka.consumeStrings().fromTopics(topic, 2).awaitCompletion(TIMEOUT);
            ConsumerRecord<String, String> traced = sent.getRecords().get(0);
            assertThat(traced.key()).isEqualTo("i-1");
            assertThat(header(traced, "traceparent")).isEqualTo(TRACEPARENT);
            assertThat(header(traced, "tracestate")).isEqualTo(TRACESTATE);
            ConsumerRecord<String, String> plain = sent.getRecords().get(1);
            assertThat(plain.key()).isEqualTo("i-2");
            assertThat(plain.headers().lastHeader("traceparent")).isNull();
            assertThat(plain.headers().lastHeader("tracestate")).isNull();
            assertThat(pool.query("SELECT count(*) FROM outbox").execute().await().atMost(TIMEOUT).iterator().next()
                    .getLong(0)).as("recovered rows are deleted").isZero();
        } finally {
            sender.close();
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
