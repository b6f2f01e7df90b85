package io.engageflow.orchestrator.engine;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Starts reactive database work from outside a request or message (timers, the outbox relay), each run on its own
 * safe Vert.x sub-context so Hibernate Reactive gets a session of its own.
 */
final class ReactiveJobs {
    private static final Logger LOG = Logger.getLogger(ReactiveJobs.class);

    private ReactiveJobs() {
    }

    static void run(Vertx vertx, String what, Supplier<Uni<?>> job, Runnable onEnd) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> {
            Uni<?> uni;
            try {
                uni = job.get();
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s failed", what);
                onEnd.run();
                return;
            }
            uni.subscribe().with(done -> onEnd.run(), e -> {
                LOG.errorf(e, "%s failed", what);
                onEnd.run();
            });
        });
    }
}
