package io.engageflow.trigger.domain;

import io.engageflow.contracts.Causation;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.trigger.config.TriggerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Stops chains of workflows that run away: a trigger whose {@code causation.depth} is above
 * {@code engageflow.triggers.max-causation-depth} (default 5) starts nothing. Each such trigger is counted in
 * {@code engageflow.triggers.loops.stopped{type}} (no workspace in the tags) and the first of its chain (by
 * rootEventId) is logged at WARN with ids only; the trigger itself goes back as a rejection with the reason.
 */
@ApplicationScoped
public class LoopGuard {
    private static final Logger LOG = Logger.getLogger(LoopGuard.class);
    /** Chains remembered as logged; an older one that stops again is logged again (a bounded memory, not a leak). */
    private static final int REMEMBERED_CHAINS = 10_000;

    private final int maxDepth;
    private final MeterRegistry metrics;
    private final Map<String, Boolean> loggedChains = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_CHAINS;
        }
    };

    public LoopGuard(TriggerSettings limits, MeterRegistry metrics) {
        this.maxDepth = limits.maxCausationDepth();
        this.metrics = metrics;
    }

    /** Why the trigger may start nothing (its chain is too deep), counted and logged; empty when it may start. */
    public Optional<String> refusal(TriggerEvent trigger) {
        int depth = Causation.depthOf(trigger.causation());
        if (depth <= maxDepth) {
            return Optional.empty();
        }
        metrics.counter("engageflow.triggers.loops.stopped", "type", trigger.type()).increment();
        Causation c = trigger.causation();
        if (firstOfItsChain(c.rootEventId())) {
            LOG.warnf("a chain of workflows stopped as a loop: trigger %s (root %s, caused by instance %s step %s) is "
                            + "%d deep, more than the %d allowed; later triggers of this chain are only counted",
                    trigger.eventId(), c.rootEventId(), c.instanceId(), c.stepId(), depth, maxDepth);
        }
        return Optional.of("causation.depth " + depth + " is more than the " + maxDepth + " allowed "
                + "(engageflow.triggers.max-causation-depth): a chain of workflows this deep is taken for a loop and "
                + "starts nothing");
    }

    private synchronized boolean firstOfItsChain(String rootEventId) {
        return loggedChains.put(String.valueOf(rootEventId), Boolean.TRUE) == null;
    }
}
