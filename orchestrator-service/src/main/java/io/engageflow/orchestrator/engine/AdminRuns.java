package io.engageflow.orchestrator.engine;

import io.engageflow.common.api.ApiException;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.catalog.ActionCatalog;
import io.engageflow.orchestrator.domain.definition.Step;
import io.engageflow.orchestrator.domain.definition.ValidationError;
import io.engageflow.orchestrator.domain.definition.WorkflowDefinition;
import io.engageflow.orchestrator.domain.instance.InstanceState;
import io.engageflow.orchestrator.persistence.DefinitionStore;
import io.engageflow.orchestrator.persistence.InstanceStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs an admin starts by hand (CONTRACT.md, "Runs an admin can act on"): a replay of an ended run, a bulk replay of
 * a workflow's failed runs, a test run. Each is a new instance started through {@link InstanceEngine#startOne}, so it
 * runs the one loop like any other.
 */
@ApplicationScoped
public class AdminRuns {
    private static final Logger LOG = Logger.getLogger(AdminRuns.class);
    /** How long a test run's request waits for the run to end before it answers the run as it stands. */
    static final Duration TEST_WAIT = Duration.ofSeconds(30);
    private static final Duration TEST_POLL = Duration.ofMillis(100);
    public static final int DEFAULT_PER_SECOND = 5;
    public static final int MAX_PER_SECOND = 50;

    private final Pool pool;
    private final InstanceStore store;
    private final DefinitionStore definitions;
    private final InstanceEngine engine;

    public AdminRuns(Pool pool, InstanceStore store, DefinitionStore definitions, InstanceEngine engine) {
        this.pool = pool;
        this.store = store;
        this.definitions = definitions;
        this.engine = engine;
    }

    /**
     * A new instance of the same trigger, linked to the original ({@code replayOf}), on the workflow's latest version
     * (the one new instances run) or, with {@code originalVersion}, on the original's. Any ended real run may be
     * replayed (completed, failed or cancelled); a running one (409) must end first, a test run (409) is tested again
     * instead. The new instance has a new id, so new commandIds: its effects happen again.
     */
    public Uni<InstanceState> replay(String ws, String instanceId, boolean originalVersion) {
        return store.find(pool, instanceId).chain(original -> {
            if (original == null || !ws.equals(original.workspaceId)) {
                throw ApiException.notFound("instance " + instanceId);
            }
            if (!original.status.terminal()) {
                throw new ApiException(409, "conflict", "instance " + instanceId
                        + " is running: only an ended run is replayed (cancel it first)", List.of());
            }
            if (original.test) {
                throw new ApiException(409, "conflict", "instance " + instanceId
                        + " is a test run: run the test again instead", List.of());
            }
            Uni<Integer> version = originalVersion ? Uni.createFrom().item(original.version)
                    : definitions.latestVersion(pool, ws, original.workflowId);
            return version.chain(v -> {
                if (v == null) {
                    throw ApiException.notFound("workflow " + original.workflowId);
                }
                InstanceState replay = newInstance(original.workspaceId, original.workflowId, v, original.trigger);
                replay.replayOf = original.id;
                return engine.startOne(replay).map(started -> {
                    if (started == null) {
                        throw ApiException.notFound("version " + v + " of workflow " + original.workflowId);
                    }
                    return started;
                });
            });
        });
    }

    /**
     * Replays, in the background, every failed real run of the workflow started in [from, to) that has no replay
     * yet, at most {@code perSecond} a second, each on the workflow's latest version; returns how many it will
     * replay. The pacing lives in this process's memory: a crash mid-way stops it, and asking again replays only the
     * runs still without a replay.
     */
    public Uni<Integer> replayFailed(String ws, String workflowId, Instant from, Instant to, int perSecond) {
        return definitions.latestVersion(pool, ws, workflowId).chain(v -> {
            if (v == null) {
                throw ApiException.notFound("workflow " + workflowId);
            }
            return store.failedWithoutReplay(pool, ws, workflowId, from, to);
        }).invoke(ids -> paced(ws, ids, perSecond)).map(List::size);
    }

    private void paced(String ws, List<String> ids, int perSecond) {
        if (ids.isEmpty()) {
            return;
        }
        Duration interval = Duration.ofMillis(1000L / perSecond);
        Multi.createFrom().iterable(ids)
                .onItem().call(id -> replay(ws, id, false)
                        .onFailure().invoke(e -> LOG.warnf("bulk replay of %s failed: %s", id, e.getMessage()))
                        .onFailure().recoverWithNull()
                        .onItem().delayIt().by(interval))
                .subscribe().with(id -> { }, e -> LOG.errorf(e, "bulk replay in %s stopped", ws),
                        () -> LOG.infof("bulk replay of %d runs in %s done", ids.size(), ws));
    }

    /**
     * A test run of the workflow's latest version (draft or not) for the trigger: forced steps take their path at
     * once, Delays pass at once, every other action step is sent with {@code test: true}. Waits until the run ends,
     * at most {@link #TEST_WAIT}; then answers the run as it stands (running).
     */
    public Uni<InstanceState> test(String ws, String workflowId, TriggerEvent asked, Map<String, String> forcePaths) {
        return definitions.latestVersion(pool, ws, workflowId).chain(v -> {
            if (v == null) {
                throw ApiException.notFound("workflow " + workflowId);
            }
            return definitions.find(pool, ws, workflowId, v).chain(def -> {
                List<ValidationError> errors = checkForced(def, forcePaths);
                if (!errors.isEmpty()) {
                    throw ApiException.invalid("invalid_force_paths", "a forced path cannot be taken", errors);
                }
                TriggerEvent trigger = new TriggerEvent(
                        asked.eventId() != null ? asked.eventId() : "test-" + UUID.randomUUID(),
                        asked.type() != null ? asked.type() : def.triggerType(), ws,
                        asked.occurredAt() != null ? asked.occurredAt() : Instant.now(), asked.contact(),
                        asked.data(), null);
                InstanceState run = newInstance(ws, workflowId, v, trigger);
                run.test = true;
                run.forcePaths = Map.copyOf(forcePaths);
                Instant until = Instant.now().plus(TEST_WAIT);
                return engine.startOne(run).chain(started -> awaitEnd(started, until));
            });
        });
    }

    /** Each forced step must exist and be an action or a Decision that has that path. */
    static List<ValidationError> checkForced(WorkflowDefinition def, Map<String, String> forcePaths) {
        List<ValidationError> errors = new ArrayList<>();
        Map<String, Step> steps = new java.util.HashMap<>();
        def.allSteps().forEach(s -> steps.put(s.id(), s));
        forcePaths.forEach((stepId, path) -> {
            String where = "forcePaths." + stepId;
            Step step = steps.get(stepId);
            if (step == null) {
                errors.add(new ValidationError(where, "the workflow has no step " + stepId));
            } else if (path == null || path.isBlank()) {
                errors.add(new ValidationError(where, "a forced path is a path name, e.g. Failure"));
            } else {
                step.match(a -> {
                    if (ActionCatalog.find(a.action()).map(spec -> !spec.hasPath(path)).orElse(true)) {
                        errors.add(new ValidationError(where, a.action() + " has no path " + path));
                    }
                }, d -> {
                    Set<String> paths = new LinkedHashSet<>();
                    d.cases().forEach(c -> paths.add(c.path()));
                    d.split().forEach(share -> paths.add(share.path()));
                    if (d.defaultPath() != null) {
                        paths.add(d.defaultPath());
                    }
                    if (!paths.contains(path)) {
                        errors.add(new ValidationError(where, "this Decision has no path " + path + " (it has "
                                + paths + ")"));
                    }
                }, delay -> errors.add(notForceable(where, delay)), split -> errors.add(notForceable(where, split)));
            }
        });
        return errors;
    }

    private static ValidationError notForceable(String where, Step step) {
        return new ValidationError(where, "only an action or a Decision takes a forced path, not a " + step.action());
    }

    private Uni<InstanceState> awaitEnd(InstanceState started, Instant until) {
        if (started.status.terminal() || !Instant.now().isBefore(until)) {
            return Uni.createFrom().item(started);
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(TEST_POLL)
                .chain(() -> store.find(pool, started.id))
                .chain(now -> awaitEnd(now == null ? started : now, until));
    }

    private static InstanceState newInstance(String ws, String workflowId, int version, TriggerEvent trigger) {
        InstanceState s = new InstanceState();
        s.id = UUID.randomUUID().toString();
        s.workspaceId = ws;
        s.workflowId = workflowId;
        s.version = version;
        s.contactId = trigger.contact().id();
        s.trigger = trigger;
        return s;
    }
}
