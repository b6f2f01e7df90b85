package io.engageflow.e2e;

import com.sun.net.httpserver.HttpServer;
import io.engageflow.contracts.json.JsonCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver that counts, for a long run (WireMock's journal keeps every request): every {@code POST} with a
 * JSON body whose {@code contact} names the contact. HttpRequest is at least once across a crash between the call
 * and its record, with {@code Idempotency-Key: <commandId>} on every attempt, so a receiver that honours the key
 * acts once per key: {@link #effects()} counts what such a receiver did, {@link #calls()} every request.
 */
final class WebhookSink implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final AtomicInteger calls = new AtomicInteger();
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final Set<String> contacts = ConcurrentHashMap.newKeySet();
    private final AtomicInteger withoutKey = new AtomicInteger();

    WebhookSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.createContext("/hook", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                calls.incrementAndGet();
                String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                if (key == null) {
                    withoutKey.incrementAndGet();
                } else {
                    keys.add(key);
                }
                Object contact = JsonCodec.toMap(body).get("contact");
                if (contact != null) {
                    contacts.add(contact.toString());
                }
                exchange.sendResponseHeaders(204, -1);
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Every request received, repeats included. */
    int calls() {
        return calls.get();
    }

    /** Distinct Idempotency-Keys: what a receiver that honours the key acted on. */
    int effects() {
        return keys.size();
    }

    /** Requests that carried no Idempotency-Key. */
    int withoutKey() {
        return withoutKey.get();
    }

    Set<String> contacts() {
        return Set.copyOf(contacts);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
