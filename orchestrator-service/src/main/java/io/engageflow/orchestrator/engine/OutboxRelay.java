package io.engageflow.orchestrator.engine;

import io.engageflow.common.messaging.KafkaRecords;
import io.engageflow.orchestrator.persistence.OutboxMessage;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes the outbox after commit: kicked by the engine after each transaction, and every second as a safety
 * net (after a crash, or when a kick found the relay busy). Rows are locked with SKIP LOCKED so several orchestrator
 * replicas share the work, and deleted only after the broker acknowledged them: a crash in between publishes them
 * again (at-least-once; commands and results carry ids that make repeats harmless).
 */
@ApplicationScoped
public class OutboxRelay {
    private static final int BATCH = 200;

    private final MutinyEmitter<String> out;
    private final ReactiveJobs jobs;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    public OutboxRelay(@Channel("outbox") MutinyEmitter<String> out, ReactiveJobs jobs) {
        this.out = out;
        this.jobs = jobs;
    }

    /** Publishes what is in the outbox now, unless a drain is already running (which then goes round again). */
    public void kick() {
        again.set(true);
        if (running.compareAndSet(false, true)) {
            again.set(false);
            jobs.run("outbox relay", this::drain, this::finished);
        }
    }

    @Scheduled(every = "${engageflow.orchestrator.outbox-poll:1s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        kick();
    }

    private void finished() {
        running.set(false);
        if (again.get()) {
            kick();
        }
    }

    private Uni<Void> drain() {
        return publishBatch().chain(count -> count == BATCH ? drain() : Uni.createFrom().voidItem());
    }

    private Uni<Integer> publishBatch() {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT * FROM outbox ORDER BY id LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED",
                                OutboxMessage.class).getResultList())
                .chain(this::publishAll));
    }

    private Uni<Integer> publishAll(List<OutboxMessage> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Uni<Void>> sends = batch.stream()
                .map(m -> out.sendMessage(KafkaRecords.toTopic(m.topic, m.key, m.payload)))
                .toList();
        List<Long> ids = batch.stream().map(m -> m.id).toList();
        return Uni.join().all(sends).andFailFast()
                .chain(() -> OutboxMessage.delete("id in ?1", ids))
                .replaceWith(batch.size());
    }
}
