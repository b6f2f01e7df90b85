package io.engageflow.common.expression;

import io.engageflow.common.config.CommonSettings;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.expression.Conditions;
import io.engageflow.contracts.expression.Templates;
import io.engageflow.contracts.expression.Variables;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Compiles and runs one condition and one template at start-up, on a thread of its own: the first CEL compile loads
 * and links a parser and a runtime (seconds on a cold JVM), which would otherwise land on the first real command and
 * on an event loop. Readiness does not wait for it.
 */
@ApplicationScoped
public class ExpressionWarmUp {
    private static final Logger LOG = Logger.getLogger(ExpressionWarmUp.class);

    void onStart(@Observes StartupEvent event, CommonSettings settings) {
        if (!settings.expressions().warmUp()) {
            return;
        }
        Thread warmUp = new Thread(() -> {
            long start = System.nanoTime();
            Map<String, Object> vars = Variables.of(new ContactSnapshot("warm-up", "a@example.com", null, "A", null,
                    Map.of("points", 1)), new TriggerEvent("warm-up", "DataCaptured", "warm-up", Instant.now(), null,
                    Map.of("score", 1)), Map.of());
            Conditions.evaluate("has(contact.email) && contact.properties.points >= 1 && trigger.data.score > 0", vars);
            Templates.resolve("Hi {{contact.firstName}}, {{trigger.data.score}}", vars);
            LOG.debugf("expressions warmed up in %d ms", (System.nanoTime() - start) / 1_000_000);
        }, "expression-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }
}
