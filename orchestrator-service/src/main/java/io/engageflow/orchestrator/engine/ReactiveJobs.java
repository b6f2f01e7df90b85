package io.engageflow.orchestrator.engine;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Starts reactive database work from outside a request or message (timers, the outbox relay), each run on its own
 * safe Vert.x sub-context so Hibernate Reactive gets a session of its own. Once shutdown begins no new job starts:
 * the timers would otherwise keep firing into a closed connection pool.
 */
@ApplicationScoped
public class ReactiveJobs {
    private static final Logger LOG = Logger.getLogger(ReactiveJobs.class);

    private final Vertx vertx;
    private volatile boolean stopping;

    public ReactiveJobs(Vertx vertx) {
        this.vertx = vertx;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Runs the job unless shutting down; {@code onEnd} runs when it ends either way (not when it never started). */
    void run(String what, Supplier<Uni<?>> job, Runnable onEnd) {
        if (stopping) {
            return;
        }
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> {
            Uni<?> uni;
            try {
                uni = job.get();
            } catch (RuntimeException e) {
                failed(what, e);
                onEnd.run();
                return;
            }
            uni.subscribe().with(done -> onEnd.run(), e -> {
                failed(what, e);
                onEnd.run();
            });
        });
    }

    private void failed(String what, Throwable e) {
        if (stopping) {
            LOG.debugf("%s interrupted by shutdown: %s", what, e);
        } else {
            LOG.errorf(e, "%s failed", what);
        }
    }
}
