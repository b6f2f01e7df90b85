package io.engageflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.engageflow.contracts.json.JsonCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator as a user runs it: its own JVM, against a stand-in peer over HTTP that answers 202 and then
 * posts each instance's webhook to the bench's sink, as bench/peer-restate and bench/peer-dbos do.
 */
class BenchRunTest {
    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, AtomicInteger> started = new ConcurrentHashMap<>();
    private HttpServer peer;

    /** @param webhooksPerTrigger 1 for a correct peer, 2 for one that doubles, 0 for one that loses the 7th trigger */
    private String startPeer(int webhooksPerTrigger) throws IOException {
        AtomicInteger seen = new AtomicInteger();
        peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        peer.createContext("/start/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/start/".length());
            @SuppressWarnings("unchecked")
            Map<String, Object> body = JsonCodec.toMap(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            started.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
            @SuppressWarnings("unchecked")
            String contact = (String) ((Map<String, Object>) body.get("contact")).get("id");
            int copies = webhooksPerTrigger == 0 && seen.incrementAndGet() == 7 ? 0 : Math.max(1, webhooksPerTrigger);
            for (int i = 0; i < copies; i++) {
                workers.submit(() -> http.send(HttpRequest.newBuilder(URI.create((String) body.get("webhook")))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"contact\": \"" + contact + "\"}")).build(),
                        HttpResponse.BodyHandlers.discarding()));
            }
        });
        peer.setExecutor(workers);
        peer.start();
        return "http://127.0.0.1:" + peer.getAddress().getPort() + "/start/{id}";
    }

    @AfterEach
    void stop() {
        peer.stop(0);
        workers.shutdownNow();
    }

    private Process bench(Path out, String url, String... more) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", classpath, Bench.class.getName(), "30", "50", "--target", "http", "--url", url,
                "--warmup", "10", "--out", out.toString(), "--pids", out.resolve("no-pids").toString(),
                "--pg-databases", "none", "--name", "stand-in"));
        command.addAll(List.of(more));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.resolve("bench.log").toFile())
                .start();
    }

    @Test
    void warmsUpMeasuresWritesTheReportAndExitsByItself(@TempDir Path out) throws Exception {
        Process bench = bench(out, startPeer(1));

        // the JVM must end on its own once the report is written (its sink's threads once kept it alive)
        assertThat(bench.waitFor(120, TimeUnit.SECONDS)).as(Files.readString(out.resolve("bench.log"))).isTrue();
        assertThat(bench.exitValue()).as(Files.readString(out.resolve("bench.log"))).isZero();

        // 10 warm-up triggers, then 30 measured: each started exactly once, with its trigger id
        assertThat(started).hasSize(40);
        assertThat(started.values()).allMatch(n -> n.get() == 1);
        Map<String, Object> json = JsonCodec.toMap(Files.readString(out.resolve("bench-report.json")));
        assertThat(json).containsEntry("system", "stand-in").containsEntry("warmup", 10)
                .containsEntry("offered", 30).containsEntry("completed", 30).containsEntry("webhooksReceived", 30);
        @SuppressWarnings("unchecked")
        Map<String, Object> checks = (Map<String, Object>) json.get("checks");
        assertThat(checks).containsEntry("duplicateWebhooks", 0).containsEntry("sendErrors", 0)
                .containsEntry("triggersSentAllPhases", 40);
        assertThat(out.resolve("bench-report.png")).exists();
        assertThat(out.resolve("bench-report.html")).exists();
    }

    @Test
    void aDoubledWebhookFailsTheRun(@TempDir Path out) throws Exception {
        Process bench = bench(out, startPeer(2), "--warmup", "0");

        assertThat(bench.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(out.resolve("bench.log"));
        assertThat(bench.exitValue()).as(log).isEqualTo(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> checks = (Map<String, Object>) JsonCodec.toMap(
                Files.readString(out.resolve("bench-report.json"))).get("checks");
        // the run ends at the last first copy, so a few late second copies may miss the count, never all
        assertThat((Integer) checks.get("duplicateWebhooks")).isPositive();
    }

    @Test
    void aLostInstanceFailsTheRunAfterTheDrainWindow(@TempDir Path out) throws Exception {
        Process bench = bench(out, startPeer(0), "--warmup", "0", "--drain-seconds", "3");

        assertThat(bench.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(out.resolve("bench.log"));
        assertThat(bench.exitValue()).as(log).isEqualTo(1);
        assertThat(log).contains("NOT all instances completed once", "29 completed");
    }
}
