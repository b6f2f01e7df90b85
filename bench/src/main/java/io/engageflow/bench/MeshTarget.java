package io.engageflow.bench;

import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.WorkflowEvent;
import io.engageflow.contracts.json.JsonCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * This project's mesh (deploy/local/run.sh): a fresh workspace with the bench workflow and a coupon offer; triggers
 * published on triggers.inbound; InstanceEnded read from workflow.events on a daemon thread. The workspace is set up
 * over HTTP with the operator key (a fresh workspace has no key of its own yet): ENGAGEFLOW_OPERATOR_KEY, else the
 * one run.sh made in deploy/local/.run/operator-key.
 */
final class MeshTarget implements Target {
    private final Options options;
    private final String workspace;
    private final Supplier<Tracker> tracker;
    private final AtomicInteger sendErrors = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String operatorKey = operatorKey();
    private KafkaProducer<String, String> producer;
    private Thread events;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean closing;

    MeshTarget(Options options, String tag, Supplier<Tracker> tracker) {
        this.options = options;
        this.workspace = "bench-" + tag;
        this.tracker = tracker;
    }

    @Override
    public void prepare(String sinkUrl) throws Exception {
        post(options.rewards() + "/api/workspaces/" + workspace + "/coupon-offers", "{\"name\": \"bench\"}");
        String definition = """
                {"id": "bench", "name": "bench", "trigger": {"type": "DataCaptured"},
                 "steps": [{"id": "valid", "action": "ContactFilter", "config": {"condition": "has(contact.email)"}},
                           {"id": "coupon", "action": "ContactCouponIssue", "config": {"offer": "bench"}},
                           {"id": "hook", "action": "HttpRequest", "config": {"url": "%s",
                            "body": {"contact": "{{contact.id}}", "code": "{{steps.coupon.coupon_code}}"}}}]}"""
                .formatted(sinkUrl);
        post(options.orchestrator() + "/api/workspaces/" + workspace + "/workflows", definition);

        Properties cp = new Properties();
        cp.put("bootstrap.servers", options.kafka());
        cp.put("group.id", workspace);
        cp.put("auto.offset.reset", "latest");
        cp.put("key.deserializer", StringDeserializer.class.getName());
        cp.put("value.deserializer", StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(cp);
        consumer.subscribe(List.of("workflow.events"));
        long waitAssign = System.currentTimeMillis() + 15_000;
        while (consumer.assignment().isEmpty() && System.currentTimeMillis() < waitAssign) {
            consumer.poll(Duration.ofMillis(100));
        }
        events = new Thread(this::readEvents, "workflow-events");
        events.setDaemon(true);
        events.start();

        Properties pp = new Properties();
        pp.put("bootstrap.servers", options.kafka());
        pp.put("key.serializer", StringSerializer.class.getName());
        pp.put("value.serializer", StringSerializer.class.getName());
        pp.put("linger.ms", "5");
        producer = new KafkaProducer<>(pp);
        post(options.orchestrator() + "/api/workspaces/" + workspace + "/workflows/bench/activate", null);
    }

    private void readEvents() {
        try {
            while (!closing) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    long now = System.nanoTime();
                    WorkflowEvent e = JsonCodec.read(r.value(), WorkflowEvent.class);
                    if (e.type() == WorkflowEvent.Type.InstanceEnded && workspace.equals(e.workspaceId())) {
                        tracker.get().ended(e.contactId(), "completed".equals(e.status()), now);
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked this thread to stop
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void send(String key) {
        TriggerEvent t = new TriggerEvent(key, "DataCaptured", workspace, Instant.now(),
                new ContactSnapshot(key, key + "@example.com", null, "B", null, Map.of()), Map.of());
        producer.send(new ProducerRecord<>("triggers.inbound", key, JsonCodec.encode(t)), (meta, error) -> {
            if (error != null) {
                sendErrors.incrementAndGet();
            }
        });
    }

    @Override
    public int sendErrors() {
        return sendErrors.get();
    }

    @Override
    public boolean reportsEnd() {
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        closing = true;
        if (events != null) {
            consumer.wakeup();
            events.join(10_000);
        } else if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    static String operatorKey() {
        String fromEnv = System.getenv("ENGAGEFLOW_OPERATOR_KEY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        Path file = Path.of("deploy/local/.run/operator-key");
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalStateException("no operator key: set ENGAGEFLOW_OPERATOR_KEY or start the mesh with "
                    + "deploy/local/run.sh, which writes " + file.toAbsolutePath(), e);
        }
    }

    private void post(String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + operatorKey);
        HttpResponse<String> resp = http.send(body == null ? b.POST(HttpRequest.BodyPublishers.noBody()).build()
                : b.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + resp.statusCode() + ": " + resp.body());
        }
    }
}
