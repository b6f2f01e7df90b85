package io.engageflow.e2e;

import io.engageflow.contracts.Topics;
import io.engageflow.contracts.WorkflowEvent;
import io.engageflow.contracts.json.JsonCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The instances of one workspace as {@code workflow.events} tells them, read as it happens (a consumer group of its
 * own, not one of the mesh's): which started, how each ended, for which contact. Events are at least once (an
 * outbox row published again after a crash), so everything here is counted by instance id. It also knows when it
 * last had read everything published so far, so a tally taken after that moment is complete.
 */
final class SoakEvents implements AutoCloseable {
    /** An instance as its events show it: its workflow, its contact and every status it ended with. */
    static final class Instance {
        final String workflowId;
        final String contactId;
        final Set<String> ended = ConcurrentHashMap.newKeySet();

        Instance(String workflowId, String contactId) {
            this.workflowId = workflowId;
            this.contactId = contactId;
        }
    }

    private final String workspace;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    private final List<String> completed = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread thread = new Thread(this::run, "soak-events");
    private volatile long caughtUpAt;
    private volatile boolean closing;

    SoakEvents(String bootstrapServers, String workspace) {
        this.workspace = workspace;
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "soak-events-" + workspace,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000"),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(Topics.WORKFLOW_EVENTS));
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!closing) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> r : records) {
                    apply(JsonCodec.read(r.value(), WorkflowEvent.class));
                }
                if (records.isEmpty()) {
                    noteIfCaughtUp();
                }
            }
        } catch (WakeupException e) {
            // close() asked this thread to stop
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(WorkflowEvent e) {
        if (!workspace.equals(e.workspaceId()) || e.type() == WorkflowEvent.Type.StepCompleted) {
            return;
        }
        Instance instance = instances.computeIfAbsent(e.instanceId(), id -> new Instance(e.workflowId(),
                e.contactId()));
        if (e.type() == WorkflowEvent.Type.InstanceEnded && instance.ended.add(e.status())
                && "completed".equals(e.status())) {
            completed.add(e.instanceId());
        }
    }

    private void noteIfCaughtUp() {
        long checkedAt = System.currentTimeMillis();
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return;
        }
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
            if (assigned.stream().allMatch(p -> consumer.position(p) >= ends.get(p))) {
                caughtUpAt = checkedAt;
            }
        } catch (RuntimeException e) {
            // the broker is down: not caught up as far as anyone can tell
        }
    }

    /** Whether everything published before {@code millis} (epoch) has been read. */
    boolean caughtUpSince(long millis) {
        return caughtUpAt >= millis;
    }

    /** A random instance of the workspace that has completed, or null while none has. */
    String anyCompleted() {
        synchronized (completed) {
            return completed.isEmpty() ? null
                    : completed.get(ThreadLocalRandom.current().nextInt(completed.size()));
        }
    }

    /** The instances of a workflow. */
    List<Instance> of(String workflowId) {
        return instances.values().stream().filter(i -> workflowId.equals(i.workflowId)).toList();
    }

    /** Instances of a workflow that ended with {@code status} (at least). */
    long ended(String workflowId, String status) {
        return of(workflowId).stream().filter(i -> i.ended.contains(status)).count();
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
