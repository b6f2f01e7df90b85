package io.engageflow.common.delivery;

import io.engageflow.common.config.DeliverySettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Waiting out an outage: work that fails because the broker or the database is unreachable is tried again, with
 * backoff up to {@code max-retry-delay}, for as long as the outage lasts; any other failure passes through. Once
 * shutdown began it gives up, so a service stops even with the broker gone: what was not acknowledged is delivered
 * again after the restart.
 */
@ApplicationScoped
public class Outages {
    private static final Logger LOG = Logger.getLogger(Outages.class);

    private final DeliverySettings config;
    private final MeterRegistry metrics;
    private volatile boolean stopping;

    public Outages(DeliverySettings config, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    public <T> Uni<T> waitOut(Supplier<Uni<T>> work) {
        return Uni.createFrom().<T>deferred(work::get)
                .onFailure(this::keepWaiting).invoke(e -> {
                    metrics.counter("engageflow.delivery.outage.retries").increment();
                    LOG.warnf("waiting out an outage: %s", Failures.describe(e));
                })
                .onFailure(this::keepWaiting).retry()
                .withBackOff(config.retryDelay(), config.maxRetryDelay()).indefinitely();
    }

    private boolean keepWaiting(Throwable e) {
        return !stopping && Failures.isTransient(e);
    }

    public boolean stopping() {
        return stopping;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }
}
