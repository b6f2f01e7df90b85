package io.engageflow.orchestrator.scheduling;

import io.engageflow.common.delivery.Failures;
import io.engageflow.common.delivery.Outages;
import io.engageflow.orchestrator.engine.InstanceEngine;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The durable timer: Delays and result deadlines are stored as the instance's next_due_at, so they survive restarts;
 * each tick fires what is due, a batch at a time, through the engine's one path.
 */
@ApplicationScoped
public class InstanceClock {
    private static final Logger LOG = Logger.getLogger(InstanceClock.class);
    private static final int BATCH = 200;

    private final InstanceEngine engine;
    private final Outages outages;

    public InstanceClock(InstanceEngine engine, Outages outages) {
        this.engine = engine;
        this.outages = outages;
    }

    @Scheduled(every = "${engageflow.orchestrator.clock-tick:1s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (outages.stopping()) {
            return Uni.createFrom().voidItem();
        }
        return fireAll().onFailure().invoke(e -> LOG.warnf("the clock could not fire what is due, next tick tries "
                + "again: %s", Failures.describe(e))).onFailure().recoverWithNull();
    }

    private Uni<Void> fireAll() {
        return engine.fireDue(BATCH).chain(fired -> fired == BATCH && !outages.stopping() ? fireAll()
                : Uni.createFrom().voidItem());
    }
}
