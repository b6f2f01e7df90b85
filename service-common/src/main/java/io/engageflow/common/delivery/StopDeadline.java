package io.engageflow.common.delivery;

import io.engageflow.common.config.DeliverySettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Bounds a service's stop ({@code engageflow.delivery.stop-deadline}): from the moment the JVM is asked to stop (a
 * shutdown hook, which runs beside Quarkus's own), a daemon thread waits that long and then halts the process. A graceful stop normally ends well before; the halt is for a broker that is
 * gone, where SmallRye closes each consumer in turn and each waits on the broker. Halting loses nothing: every
 * record not acknowledged is delivered again, every outbox row not acknowledged is recovered.
 */
@ApplicationScoped
public class StopDeadline {
    private static final Logger LOG = Logger.getLogger(StopDeadline.class);

    private final Duration deadline;

    public StopDeadline(DeliverySettings config) {
        this.deadline = config.stopDeadline();
    }

    void onStart(@Observes StartupEvent event) {
        Runtime.getRuntime().addShutdownHook(new Thread(this::startClock, "stop-deadline-hook"));
    }

    /** Returns at once: the JVM waits for its shutdown hooks, not for daemon threads. */
    private void startClock() {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(deadline.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            LOG.warnf("stop took longer than %s (a consumer waiting on an unreachable broker?): halting; "
                    + "what was not acknowledged is delivered again after the restart", deadline);
            System.err.flush();
            Runtime.getRuntime().halt(0);
        }, "stop-deadline");
        watchdog.setDaemon(true); // a stop that ends in time does not wait for it
        watchdog.start();
    }
}
