package io.engageflow.common.auth;

import io.engageflow.common.config.CommonSettings;
import io.engageflow.common.delivery.BrokerSettings;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.auth.ApiKeyGrant;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.contracts.json.JsonCodec;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Every live API key of every workspace, held in memory from the compacted topic {@code auth.api-keys} that the
 * orchestrator publishes (by hash; a key itself never travels). Each process reads the whole topic by partition
 * assignment, with no consumer group. A key this process doesn't know yet, e.g. one created on the orchestrator a
 * moment ago, is looked up again after the reader caught up with the topic's end as of the question.
 */
@ApplicationScoped
public class ApiKeyDirectory {
    private static final Logger LOG = Logger.getLogger(ApiKeyDirectory.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);

    private final Map<String, ApiKeyGrant> byHash = new ConcurrentHashMap<>();
    private final Map<String, String> hashById = new ConcurrentHashMap<>();
    private final Queue<CompletableFuture<Void>> waiting = new ConcurrentLinkedQueue<>();
    private final Map<String, Object> broker;
    private final Duration catchUpLimit;
    private volatile boolean running = true;
    private Thread reader;

    public ApiKeyDirectory(@Identifier("default-kafka-broker") Map<String, Object> broker,
                           CommonSettings settings) {
        this.broker = broker;
        this.catchUpLimit = settings.auth().catchUpLimit();
    }

    void start(@Observes StartupEvent ignored) {
        reader = new Thread(this::readForever, "api-key-directory");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The grant of a key hash. Unknown here, it is asked again once the topic is read up to its end as of now; the
     * answer is null when the key is unknown then too, and fails with {@link KeysUnavailableException} when the
     * topic could not be read within the limit.
     */
    public Uni<ApiKeyGrant> find(String keyHash) {
        ApiKeyGrant known = byHash.get(keyHash);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();
        waiting.add(caughtUp);
        Context context = Vertx.currentContext();
        Uni<ApiKeyGrant> answer = Uni.createFrom().completionStage(caughtUp)
                .ifNoItem().after(catchUpLimit).failWith(KeysUnavailableException::new)
                .map(done -> byHash.get(keyHash));
        return context == null ? answer : answer.emitOn(task -> context.runOnContext(v -> task.run()));
    }

    /** Applies a grant or a revocation (null grant) at once, as the orchestrator does for its own changes. */
    public void apply(String keyId, ApiKeyGrant grant) {
        if (grant == null) {
            String hash = hashById.remove(keyId);
            if (hash != null) {
                byHash.remove(hash);
            }
        } else {
            String old = hashById.put(keyId, grant.keyHash());
            if (old != null && !old.equals(grant.keyHash())) {
                byHash.remove(old);
            }
            byHash.put(grant.keyHash(), grant);
        }
    }

    private void readForever() {
        while (running) {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerSettings(),
                    new StringDeserializer(), new StringDeserializer())) {
                ensureTopic();
                List<TopicPartition> partitions = partitions(consumer);
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                boolean first = true;
                while (running) {
                    List<CompletableFuture<Void>> answering = new ArrayList<>();
                    for (CompletableFuture<Void> w; (w = waiting.poll()) != null; ) {
                        answering.add(w);
                    }
                    if (first || !answering.isEmpty()) {
                        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(5));
                        while (running && behind(consumer, end)) {
                            read(consumer, IDLE_POLL);
                        }
                        answering.forEach(w -> w.complete(null));
                        if (first) {
                            LOG.infof("API keys read: %d live", byHash.size());
                            first = false;
                        }
                    } else {
                        read(consumer, IDLE_POLL);
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warnf("reading %s failed (%s); starting over in 1 s", Topics.API_KEYS, e.getClass().getSimpleName());
                    LOG.debug("reading API keys failed", e);
                    sleep(1000);
                }
            }
        }
    }

    private void read(KafkaConsumer<String, String> consumer, Duration timeout) {
        for (ConsumerRecord<String, String> r : consumer.poll(timeout)) {
            if (r.key() == null) {
                continue;
            }
            if (r.value() == null) {
                apply(r.key(), null);
                continue;
            }
            Decoded<ApiKeyGrant> grant = JsonCodec.decode(r.value(), ApiKeyGrant.class);
            if (grant.isOk() && grant.value().keyHash() != null && grant.value().workspace() != null
                    && grant.value().role() != null) {
                apply(r.key(), grant.value());
            } else {
                LOG.warnf("skipped a record of %s at offset %d that is not a key grant", Topics.API_KEYS, r.offset());
            }
        }
    }

    private static boolean behind(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return true;
            }
        }
        return false;
    }

    /** Creates the topic compacted when it is missing (a deployment may create it instead and deny us the right). */
    private void ensureTopic() {
        Map<String, Object> settings = BrokerSettings.forClient(broker, AdminClientConfig.configNames());
        try (Admin admin = Admin.create(settings)) {
            admin.createTopics(List.of(new NewTopic(Topics.API_KEYS, Optional.of(1), Optional.empty())
                            .configs(Map.of("cleanup.policy", "compact"))))
                    .all().get(10, TimeUnit.SECONDS);
            LOG.infof("created topic %s (compacted)", Topics.API_KEYS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.debugf("could not create %s: %s", Topics.API_KEYS, e.getCause());
            }
        } catch (Exception e) {
            LOG.debugf("could not create %s: %s", Topics.API_KEYS, e);
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, String> consumer) {
        while (running) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.API_KEYS, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            LOG.infof("waiting for topic %s", Topics.API_KEYS);
            sleep(1000);
        }
        return List.of();
    }

    private Map<String, Object> consumerSettings() {
        Map<String, Object> settings = BrokerSettings.forClient(broker, ConsumerConfig.configNames());
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "api-keys-" + ProcessHandle.current().pid());
        return settings;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        if (reader != null) {
            reader.join(2000);
        }
    }

    /** The key topic could not be read in time: the caller's key can't be checked now (503, not 401). */
    public static class KeysUnavailableException extends RuntimeException {
        KeysUnavailableException() {
            super("API keys cannot be checked right now");
        }
    }
}
