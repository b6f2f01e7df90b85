package io.engageflow.bench.peer.dbos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dbos.transact.DBOS;
import dev.dbos.transact.StartWorkflowOptions;
import dev.dbos.transact.config.DBOSConfig;
import dev.dbos.transact.txstep.JdbcStepFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * DBOS Transact app with an HTTP ingress: {@code POST /workflows/{triggerId}} with body
 * {@code {"id", "contact": {"id", "email"}, "webhook"}} starts the bench workflow with the trigger id as its
 * workflow id (a repeat starts nothing new) and answers 202 once DBOS has recorded the start.
 *
 * <p>Settings (environment): PORT (18090), DBOS_SYSTEM_JDBC_URL (…/bench_peer_dbos_sys), APP_JDBC_URL
 * (…/bench_peer_dbos), PGUSER (postgres), APP_POOL_SIZE (10).
 */
public final class PeerDbos {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(env("PORT", "18090"));
        String user = env("PGUSER", "postgres");
        DBOSConfig config = DBOSConfig.defaults("engageflow-bench-peer")
                .withDatabaseUrl(env("DBOS_SYSTEM_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/bench_peer_dbos_sys"))
                .withDbUser(user).withDbPassword(env("PGPASSWORD", "")); // trust auth locally: no password
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(env("APP_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/bench_peer_dbos"));
        pool.setUsername(user);
        pool.setPassword(env("PGPASSWORD", ""));
        pool.setMaximumPoolSize(Integer.parseInt(env("APP_POOL_SIZE", "10")));
        HikariDataSource app = new HikariDataSource(pool);

        DBOS dbos = new DBOS(config);
        BenchWorkflow workflow = dbos.registerProxy(BenchWorkflow.class,
                new BenchWorkflowImpl(dbos, new JdbcStepFactory(dbos, app)));
        dbos.launch();

        ExecutorService handlers = Executors.newFixedThreadPool(4);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.createContext("/workflows/", exchange -> start(exchange, dbos, workflow));
        server.setExecutor(handlers);
        server.start();
        System.out.println("DBOS bench peer listening on 127.0.0.1:" + port);

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            handlers.shutdown();
            dbos.shutdown();
            app.close();
        }, "shutdown"));
    }

    private static void start(HttpExchange exchange, DBOS dbos, BenchWorkflow workflow) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer(exchange, 405, "POST only");
                return;
            }
            String id = exchange.getRequestURI().getPath().substring("/workflows/".length());
            JsonNode body = JSON.readTree(in.readAllBytes());
            JsonNode contact = body.path("contact");
            String contactId = contact.path("id").asString();
            String email = contact.path("email").isString() ? contact.path("email").asString() : null;
            String webhook = body.path("webhook").asString();
            if (id.isEmpty() || contactId.isEmpty() || webhook.isEmpty()) {
                answer(exchange, 400, "need /workflows/{id} and a body with contact.id and webhook");
                return;
            }
            dbos.startWorkflow(() -> workflow.run(id, contactId, email, webhook), new StartWorkflowOptions(id));
            answer(exchange, 202, "{\"workflowId\": \"" + id + "\"}");
        } catch (RuntimeException e) {
            answer(exchange, 500, String.valueOf(e.getMessage()));
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private PeerDbos() {
    }
}
