package io.engageflow.bench;

import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.WorkflowEvent;
import io.engageflow.contracts.json.JsonCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load against a running mesh (deploy/local/run.sh): creates a workflow of the reference's first example plus a
 * loyalty step, publishes N triggers on triggers.inbound at a target rate, and measures trigger-to-InstanceEnded
 * latency from workflow.events, and the completed-instance throughput.
 *
 * <pre>bench/run.sh [triggers=2000] [rate-per-second=200]</pre>
 */
public final class Bench {
    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String bootstrap = System.getProperty("kafka", "127.0.0.1:9092");
        String orchestrator = System.getProperty("orchestrator", "http://127.0.0.1:8080");
        String ws = "bench-" + UUID.randomUUID().toString().substring(0, 8);

        HttpClient http = HttpClient.newHttpClient();
        String rewards = System.getProperty("rewards", "http://127.0.0.1:8083");
        com.sun.net.httpserver.HttpServer sink = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.atomic.AtomicInteger webhooks = new java.util.concurrent.atomic.AtomicInteger();
        sink.createContext("/sink", exchange -> {
            exchange.getRequestBody().readAllBytes();
            webhooks.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        sink.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        sink.start();
        post(http, rewards + "/api/workspaces/" + ws + "/coupon-offers", "{\"name\": \"bench\"}");
        String definition = """
                {"id": "bench", "name": "bench", "trigger": {"type": "DataCaptured"},
                 "steps": [{"id": "valid", "action": "ContactFilter", "config": {"condition": "has(contact.email)"}},
                           {"id": "coupon", "action": "ContactCouponIssue", "config": {"offer": "bench"}},
                           {"id": "hook", "action": "HttpRequest", "config": {"url": "http://127.0.0.1:%d/sink",
                            "body": {"contact": "{{contact.id}}", "code": "{{steps.coupon.coupon_code}}"}}}]}"""
                .formatted(sink.getAddress().getPort());
        post(http, orchestrator + "/api/workspaces/" + ws + "/workflows", definition);
        Map<String, long[]> cpuBefore = ProcessStats.snapshot();
        post(http, orchestrator + "/api/workspaces/" + ws + "/workflows/bench/activate", null);

        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        Properties cp = new Properties();
        cp.put("bootstrap.servers", bootstrap);
        cp.put("group.id", "bench-" + ws);
        cp.put("auto.offset.reset", "latest");
        cp.put("key.deserializer", StringDeserializer.class.getName());
        cp.put("value.deserializer", StringDeserializer.class.getName());
        Properties pp = new Properties();
        pp.put("bootstrap.servers", bootstrap);
        pp.put("key.serializer", StringSerializer.class.getName());
        pp.put("value.serializer", StringSerializer.class.getName());
        pp.put("linger.ms", "5");

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp);
             KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
            consumer.subscribe(List.of("workflow.events"));
            long waitAssign = System.currentTimeMillis() + 15_000;
            while (consumer.assignment().isEmpty() && System.currentTimeMillis() < waitAssign) {
                consumer.poll(Duration.ofMillis(100));
            }
            long start = System.nanoTime();
            int[] done = {0};
            int failed = 0;
            long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
            for (int i = 0; i < total; i++) {
                long due = start + i * intervalNanos;
                while (System.nanoTime() < due) {
                    drain(consumer, ws, sentAt, latency, done);
                }
                String contact = "b-" + i;
                TriggerEvent t = new TriggerEvent(UUID.randomUUID().toString(), "DataCaptured", ws, Instant.now(),
                        new ContactSnapshot(contact, contact + "@example.com", null, "B", null, Map.of()), Map.of());
                sentAt.put(contact, System.nanoTime());
                producer.send(new ProducerRecord<>("triggers.inbound", contact, JsonCodec.encode(t)));
            }
            producer.flush();
            long sendSeconds = System.nanoTime() - start;
            long deadline = System.currentTimeMillis() + 120_000;
            while (done[0] < total && System.currentTimeMillis() < deadline) {
                drain(consumer, ws, sentAt, latency, done);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, long[]> cpuAfter = ProcessStats.snapshot();
            sink.stop(0);
            Report report = new Report(Runtime.getRuntime().availableProcessors(), total, rate, done[0], seconds,
                    webhooks.get(), latency, ProcessStats.usage(cpuBefore, cpuAfter, seconds));
            report.print();
            report.write(java.nio.file.Path.of(System.getProperty("out", "bench/target")));
            if (done[0] < total) {
                System.out.println("NOT all instances ended within 120 s after the last trigger");
                System.exit(1);
            }
        }
    }

    private static void drain(KafkaConsumer<String, String> consumer, String ws, Map<String, Long> sentAt,
                              Histogram latency, int[] done) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(1))) {
            WorkflowEvent e = JsonCodec.read(r.value(), WorkflowEvent.class);
            if (e.type() == WorkflowEvent.Type.InstanceEnded && ws.equals(e.workspaceId())) {
                Long sent = sentAt.remove(e.contactId());
                if (sent != null) {
                    latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                    done[0]++;
                }
            }
        }
    }

    private static void post(HttpClient http, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
        HttpResponse<String> resp = http.send(body == null ? b.POST(HttpRequest.BodyPublishers.noBody()).build()
                : b.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + resp.statusCode() + ": " + resp.body());
        }
    }

    private Bench() {
    }
}
