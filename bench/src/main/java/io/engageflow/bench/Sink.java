package io.engageflow.bench;

import com.sun.net.httpserver.HttpServer;
import io.engageflow.contracts.json.JsonCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The webhook receiver every system's last step posts to: {@code POST /sink} with a JSON body whose
 * {@code contact} is the trigger's key. Its threads are daemons and {@link #close} ends them, so they never keep the
 * load generator's JVM alive after the report (they used to).
 */
final class Sink implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    Sink(Supplier<Tracker> tracker) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "sink-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.createContext("/sink", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                long now = System.nanoTime();
                Object key = parse(body).get("contact");
                if (key != null) {
                    tracker.get().webhook(key.toString(), now);
                }
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    private static Map<String, Object> parse(byte[] body) {
        try {
            return JsonCodec.toMap(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/sink";
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(0);
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
