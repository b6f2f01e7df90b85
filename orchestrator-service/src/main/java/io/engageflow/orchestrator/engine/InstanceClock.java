package io.engageflow.orchestrator.engine;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The durable timer: Delays and result deadlines are stored as the instance's next_due_at, so they survive restarts;
 * this polls for what is due and hands each instance to the engine.
 */
@ApplicationScoped
public class InstanceClock {
    private static final int BATCH = 100;

    private final InstanceEngine engine;
    private final ReactiveJobs jobs;
    private final AtomicBoolean running = new AtomicBoolean();

    public InstanceClock(InstanceEngine engine, ReactiveJobs jobs) {
        this.engine = engine;
        this.jobs = jobs;
    }

    @Scheduled(every = "${engageflow.orchestrator.clock-tick:1s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (running.compareAndSet(false, true)) {
            jobs.run("instance clock", this::fireDue, () -> running.set(false));
        }
    }

    private Uni<Void> fireDue() {
        return engine.dueInstances(BATCH).chain(ids -> Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(id -> engine.onClock(id)
                        .onFailure().recoverWithNull()) // one instance's problem must not stop the others
                .collect().last().replaceWithVoid());
    }
}
