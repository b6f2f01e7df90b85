package io.engageflow.common.delivery;

import io.engageflow.common.config.DeliverySettings;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The kit's Kafka producer: one per process, idempotent with acks=all (a record the broker acknowledged is on every
 * in-sync replica, and a producer retry never writes it twice), records sent in call order so one key's records keep
 * their order. {@code send} may block while metadata is fetched or the buffer is full, so it runs on a thread of its
 * own, never on an event loop; the answer comes back on the caller's Vert.x context.
 */
@ApplicationScoped
public class KafkaSender {
    /** The header that names a record's publisher (trigger-service's allow-list of triggers.inbound reads it). */
    public static final String PUBLISHER_HEADER = "engageflow-publisher";
    /** The W3C trace context headers (io.engageflow.common.tracing reads and writes them). */
    public static final String TRACEPARENT_HEADER = "traceparent";
    public static final String TRACESTATE_HEADER = "tracestate";

    private final KafkaProducer<String, String> producer;
    private final ExecutorService sendThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "delivery-sender");
        t.setDaemon(true);
        return t;
    });
    private final int maxRecordBytes;
    /** The header naming this process as the records' publisher ({@code engageflow.delivery.publisher}), if set. */
    private final List<Header> headers;

    public KafkaSender(@Identifier("default-kafka-broker") Map<String, Object> broker, DeliverySettings config) {
        this.maxRecordBytes = config.maxRecordBytes();
        this.headers = config.publisher().filter(name -> !name.isBlank())
                .map(name -> List.<Header>of(new RecordHeader(PUBLISHER_HEADER, name.getBytes(StandardCharsets.UTF_8))))
                .orElse(List.of());
        this.producer = new KafkaProducer<>(settings(broker, config), new StringSerializer(), new StringSerializer());
    }

    /** {@code kafka.*} (servers, security) as Quarkus passes it, then the kit's defaults, then explicit settings. */
    static Map<String, Object> settings(Map<String, Object> broker, DeliverySettings config) {
        Map<String, Object> p = BrokerSettings.forClient(broker, ProducerConfig.configNames());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        // lz4 was the orchestrator's hottest method in a bench profile (plus the broker's validation and the
        // consumers' decompression) and saves nothing on a fast network; where the network is the limit, set
        // engageflow.delivery.producer.compression.type
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Math.max(1_048_576, config.maxRecordBytes() + 10_000)));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "delivery-" + ProcessHandle.current().pid());
        p.putAll(config.producer());
        return p;
    }

    /**
     * Sends the records in order and completes when the broker acknowledged all of them. A broker that cannot be
     * reached fails it with a {@link Failures#isTransient transient} error: the caller waits and sends again (the
     * records carry ids that make a repeat harmless). A record over the size limit fails it at once.
     */
    public Uni<Void> send(List<OutboundRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        try {
            records.forEach(this::checkSize);
        } catch (RecordTooLargeException e) {
            return Uni.createFrom().failure(e);
        }
        Context context = Vertx.currentContext();
        Uni<Void> sent = Uni.createFrom().completionStage(() -> sendAll(records));
        return context == null ? sent : sent.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    /** Throws {@link RecordTooLargeException} for a record the broker would refuse for its size. */
    public void checkSize(OutboundRecord r) {
        if (!r.fits(maxRecordBytes)) {
            throw new RecordTooLargeException(r, maxRecordBytes);
        }
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    private CompletableFuture<Void> sendAll(List<OutboundRecord> records) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger pending = new AtomicInteger(records.size());
        AtomicReference<Exception> failure = new AtomicReference<>();
        sendThread.execute(() -> {
            for (OutboundRecord r : records) {
                try {
                    producer.send(new ProducerRecord<>(r.topic(), null, r.key(), r.value(), headersOf(r)), (meta, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                        if (pending.decrementAndGet() == 0) {
                            complete(done, failure.get());
                        }
                    });
                } catch (RuntimeException e) { // metadata not available in time, producer closed, serialization
                    failure.compareAndSet(null, e);
                    if (pending.decrementAndGet() == 0) {
                        complete(done, failure.get());
                    }
                }
            }
        });
        return done;
    }

    /** The publisher header, and the record's trace context when it carries one (never when tracing is off). */
    private List<Header> headersOf(OutboundRecord r) {
        if (r.traceParent() == null) {
            return headers;
        }
        List<Header> all = new ArrayList<>(headers.size() + 2);
        all.addAll(headers);
        all.add(new RecordHeader(TRACEPARENT_HEADER, r.traceParent().getBytes(StandardCharsets.UTF_8)));
        if (r.traceState() != null && !r.traceState().isEmpty()) {
            all.add(new RecordHeader(TRACESTATE_HEADER, r.traceState().getBytes(StandardCharsets.UTF_8)));
        }
        return all;
    }

    private static void complete(CompletableFuture<Void> done, Exception failure) {
        if (failure == null) {
            done.complete(null);
        } else if (failure instanceof org.apache.kafka.common.errors.RetriableException
                || failure instanceof org.apache.kafka.common.errors.TimeoutException) {
            done.completeExceptionally(new Failures.BrokerUnavailableException("the broker did not take the records: "
                    + failure.getMessage(), failure));
        } else {
            done.completeExceptionally(failure);
        }
    }

    @PreDestroy
    void close() {
        sendThread.shutdown();
        producer.close(Duration.ofSeconds(3)); // bounded: a service stops even when the broker is gone
    }

    /** A record larger than the broker takes: it can never be sent, so it is the record's fault, not an outage. */
    public static final class RecordTooLargeException extends RuntimeException {
        public RecordTooLargeException(OutboundRecord r, int limit) {
            super("a record for " + r.topic() + " is " + r.bytes() + " bytes, more than the " + limit + " allowed");
        }
    }
}
