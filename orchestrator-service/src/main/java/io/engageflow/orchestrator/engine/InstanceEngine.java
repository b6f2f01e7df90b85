package io.engageflow.orchestrator.engine;

import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.TriggerTypes;
import io.engageflow.contracts.WorkflowEvent;
import io.engageflow.contracts.expression.Conditions;
import io.engageflow.contracts.expression.Variables;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.orchestrator.domain.definition.WorkflowDefinition;
import io.engageflow.orchestrator.domain.instance.Decider;
import io.engageflow.orchestrator.domain.instance.Effects;
import io.engageflow.orchestrator.domain.instance.InstanceState;
import io.engageflow.orchestrator.domain.instance.PendingCommand;
import io.engageflow.orchestrator.persistence.IgnoredResult;
import io.engageflow.orchestrator.persistence.InstanceEntity;
import io.engageflow.orchestrator.persistence.OutboxMessage;
import io.engageflow.orchestrator.persistence.WorkflowEntity;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Applies the decider to stored instances: loads the instance (row-locked), decides, and writes the instance and
 * every message the decision causes (as outbox rows) in one transaction; the relay publishes after commit.
 */
@ApplicationScoped
public class InstanceEngine {
    private static final Logger LOG = Logger.getLogger(InstanceEngine.class);

    private final DefinitionStore definitions;
    private final OutboxRelay relay;
    private final MeterRegistry metrics;
    private final Duration stepTimeout;

    public InstanceEngine(DefinitionStore definitions, OutboxRelay relay, MeterRegistry metrics,
                          @ConfigProperty(name = "engageflow.orchestrator.step-timeout", defaultValue = "PT5M")
                          Duration stepTimeout) {
        this.definitions = definitions;
        this.relay = relay;
        this.metrics = metrics;
        this.stepTimeout = stepTimeout;
    }

    /** Starts one instance per active workflow of the workspace whose trigger type and condition match. */
    public Uni<List<String>> onTrigger(TriggerEvent trigger) {
        String type = TriggerTypes.canonical(trigger.type()).orElse(trigger.type());
        return Panache.withTransaction(() -> WorkflowEntity.<WorkflowEntity>list(
                        "workspaceId = ?1 and triggerType = ?2 and status = ?3 order by id", trigger.workspaceId(), type,
                        WorkflowEntity.ACTIVE)
                .chain(workflows -> Multi.createFrom().iterable(workflows)
                        .onItem().transformToUniAndConcatenate(wf -> startIfEligible(wf, trigger))
                        .filter(id -> id != null && !id.isEmpty())
                        .collect().asList()))
                .invoke(ids -> {
                    if (!ids.isEmpty()) {
                        relay.kick();
                    }
                });
    }

    private Uni<String> startIfEligible(WorkflowEntity wf, TriggerEvent trigger) {
        return definitions.get(wf.workspaceId, wf.id, wf.latestVersion).chain(def -> {
            if (def.triggerCondition() != null) {
                Conditions.Outcome outcome = Conditions.evaluate(def.triggerCondition(),
                        Variables.of(trigger.contact(), trigger, Map.of()));
                if (!outcome.holds()) {
                    LOG.debugf("trigger %s does not start %s: condition %s", trigger.eventId(), wf.id,
                            outcome.failed() ? "failed: " + outcome.error() : "does not hold");
                    metrics.counter("engageflow.triggers.skipped", "reason", "condition").increment();
                    return Uni.createFrom().item("");
                }
            }
            return InstanceEntity.count("workspaceId = ?1 and workflowId = ?2 and triggerEventId = ?3", wf.workspaceId,
                            wf.id, trigger.eventId())
                    .chain(seen -> seen > 0 ? skip("duplicate") : reentryAllows(wf, def, trigger.contact().id())
                            .chain(allowed -> allowed ? start(wf, def, trigger) : skip("reentry")));
        });
    }

    private Uni<String> skip(String reason) {
        metrics.counter("engageflow.triggers.skipped", "reason", reason).increment();
        return Uni.createFrom().item("");
    }

    private Uni<Boolean> reentryAllows(WorkflowEntity wf, WorkflowDefinition def, String contactId) {
        return switch (def.reentry()) {
            case ANYTIME -> Uni.createFrom().item(true);
            case ONCE -> InstanceEntity.count("workspaceId = ?1 and workflowId = ?2 and contactId = ?3", wf.workspaceId,
                    wf.id, contactId)
                    .map(n -> n == 0);
            case WHILE_NOT_RUNNING -> InstanceEntity.count(
                    "workspaceId = ?1 and workflowId = ?2 and contactId = ?3 and status = ?4", wf.workspaceId, wf.id,
                    contactId, "running").map(n -> n == 0);
        };
    }

    private Uni<String> start(WorkflowEntity wf, WorkflowDefinition def, TriggerEvent trigger) {
        Instant now = Instant.now();
        InstanceState state = new InstanceState();
        state.id = UUID.randomUUID().toString();
        state.workspaceId = wf.workspaceId;
        state.workflowId = wf.id;
        state.version = wf.latestVersion;
        state.contactId = trigger.contact().id();
        state.trigger = trigger;
        state.startedAt = now;
        Effects effects = Decider.start(def, state, now, stepTimeout);
        metrics.counter("engageflow.instances.started", "workflow", wf.id).increment();
        return new InstanceEntity().apply(state).persist().chain(() -> writeOutbox(state, effects))
                .replaceWith(state.id);
    }

    /** Applies a result; a stale or duplicate one is recorded as ignored without changing anything. */
    public Uni<Void> onResult(ActionResult result) {
        return onResults(List.of(result));
    }

    /**
     * Applies a poll's worth of results in one transaction: their instances are locked with one query (in id
     * order, so concurrent batches cannot deadlock), each result is decided in arrival order against its instance's
     * current state (two branch results of one Split in the same batch both count), and all outbox rows go in with
     * one statement. A stale or duplicate result is recorded as ignored without changing anything.
     */
    public Uni<Void> onResults(List<ActionResult> results) {
        List<String> ids = results.stream().map(ActionResult::instanceId).distinct().sorted().toList();
        return Panache.withTransaction(() -> InstanceEntity.<InstanceEntity>find("id in ?1 order by id", ids)
                        .withLock(LockModeType.PESSIMISTIC_WRITE).list()
                        .chain(rows -> applyInOrder(results, rows)))
                .invoke(relay::kick);
    }

    private Uni<Void> applyInOrder(List<ActionResult> results, List<InstanceEntity> rows) {
        Map<String, InstanceEntity> rowsById = new HashMap<>();
        rows.forEach(row -> rowsById.put(row.id, row));
        Map<String, InstanceState> states = new HashMap<>();
        Set<String> changed = new HashSet<>();
        List<OutboxMessage> outbox = new ArrayList<>();
        List<IgnoredResult> ignoredResults = new ArrayList<>();
        Instant now = Instant.now();
        Uni<Void> applied = Uni.createFrom().voidItem();
        for (ActionResult result : results) {
            InstanceEntity row = rowsById.get(result.instanceId());
            if (row == null) {
                applied = applied.call(() -> ignored("unknown instance " + result.instanceId()));
                continue;
            }
            applied = applied.call(() -> definitions.get(row.workspaceId, row.workflowId, row.version).invoke(def -> {
                InstanceState state = states.computeIfAbsent(row.id, id -> row.toState());
                Effects effects = Decider.onResult(def, state, result, now, stepTimeout);
                if (effects.changed()) {
                    changed.add(row.id);
                    outbox.addAll(outboxMessages(state, effects));
                } else {
                    ignoredResults.add(IgnoredResult.of(result, effects.ignored));
                    ignored(effects.ignored);
                }
            }));
        }
        return applied
                .invoke(() -> changed.forEach(id -> rowsById.get(id).apply(states.get(id))))
                .chain(() -> ignoredResults.isEmpty() ? Uni.createFrom().voidItem()
                        : IgnoredResult.persist(ignoredResults))
                .chain(() -> OutboxMessage.insertAll(outbox));
    }

    /** Fires due Delays and step deadlines of one instance. */
    public Uni<Void> onClock(String instanceId) {
        return Panache.withTransaction(() -> InstanceEntity.<InstanceEntity>findById(instanceId,
                        LockModeType.PESSIMISTIC_WRITE)
                .chain(row -> {
                    if (row == null) {
                        return Uni.createFrom().voidItem();
                    }
                    InstanceState state = row.toState();
                    return definitions.get(row.workspaceId, row.workflowId, row.version).chain(def -> save(row, state,
                            Decider.onClock(def, state, Instant.now(), stepTimeout)));
                }))
                .invoke(relay::kick);
    }

    /** Ids of running instances with something due now. */
    public Uni<List<String>> dueInstances(int limit) {
        return Panache.withSession(() -> InstanceEntity.<InstanceEntity>find(
                        "status = 'running' and nextDueAt <= ?1 order by nextDueAt", Instant.now())
                .page(0, limit).list()).map(rows -> rows.stream().map(r -> r.id).toList());
    }

    /** The outcome of a cancel request: the instance, and whether this request cancelled it. */
    public record CancelResult(InstanceState state, boolean cancelled) {
    }

    /** Cancels a running instance; null when there is no such instance in the workspace. */
    public Uni<CancelResult> cancel(String workspaceId, String instanceId) {
        return Panache.withTransaction(() -> InstanceEntity.<InstanceEntity>findById(instanceId,
                        LockModeType.PESSIMISTIC_WRITE)
                .chain(row -> {
                    if (row == null || !row.workspaceId.equals(workspaceId)) {
                        return Uni.createFrom().nullItem();
                    }
                    InstanceState state = row.toState();
                    Effects effects = Decider.cancel(state, Instant.now());
                    return save(row, state, effects).replaceWith(new CancelResult(state, effects.changed()));
                }))
                .invoke(relay::kick);
    }

    private Uni<Void> save(InstanceEntity row, InstanceState state, Effects effects) {
        if (!effects.changed()) {
            return ignored(effects.ignored);
        }
        row.apply(state);
        return writeOutbox(state, effects);
    }

    private Uni<Void> ignored(String why) {
        metrics.counter("engageflow.results.ignored").increment();
        LOG.infof("input ignored: %s", why);
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> writeOutbox(InstanceState state, Effects effects) {
        return OutboxMessage.insertAll(outboxMessages(state, effects));
    }

    private List<OutboxMessage> outboxMessages(InstanceState state, Effects effects) {
        List<OutboxMessage> messages = new ArrayList<>();
        for (PendingCommand c : effects.commands) {
            messages.add(OutboxMessage.of(c.topic(), state.id, JsonCodec.encode(c.command())));
        }
        for (WorkflowEvent e : effects.events) {
            messages.add(OutboxMessage.of(Topics.WORKFLOW_EVENTS, state.id, JsonCodec.encode(e)));
            if (e.type() == WorkflowEvent.Type.InstanceEnded) {
                metrics.counter("engageflow.instances.ended", "status", e.status()).increment();
            }
        }
        return messages;
    }
}
