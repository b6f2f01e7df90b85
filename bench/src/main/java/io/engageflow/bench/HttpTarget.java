package io.engageflow.bench;

import io.engageflow.contracts.json.JsonCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A peer reached over HTTP (bench/peer-restate, bench/peer-dbos): each trigger is one POST to the URL template with
 * {@code {id}} replaced by the trigger id, the id also sent as {@code idempotency-key}, and a body
 * {@code {"id", "contact": {"id", "email"}, "webhook"}}. Sent asynchronously: the peer's answer (202) is not waited
 * for; an instance is done when its webhook reaches the sink.
 */
final class HttpTarget implements Target {
    private final String urlTemplate;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger sendErrors = new AtomicInteger();
    private String sinkUrl;

    HttpTarget(String urlTemplate) {
        this.urlTemplate = urlTemplate;
    }

    @Override
    public void prepare(String sinkUrl) {
        this.sinkUrl = sinkUrl;
    }

    @Override
    public void send(String key) {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("id", key);
        contact.put("email", key + "@example.com");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", key);
        body.put("contact", contact);
        body.put("webhook", sinkUrl);
        HttpRequest request = HttpRequest.newBuilder(URI.create(urlTemplate.replace("{id}", key)))
                .header("Content-Type", "application/json").header("idempotency-key", key)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(JsonCodec.encode(body)))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, error) -> {
            if (error != null || resp.statusCode() / 100 != 2) {
                if (sendErrors.getAndIncrement() < 5) {
                    System.err.println("send " + key + ": " + (error != null ? error : "HTTP " + resp.statusCode()));
                }
            }
        });
    }

    @Override
    public int sendErrors() {
        return sendErrors.get();
    }

    @Override
    public boolean reportsEnd() {
        return false;
    }

    @Override
    public void close() {
        // the client's threads are daemons; nothing to stop
    }
}
