package io.engageflow.orchestrator.engine;

import io.engageflow.common.config.DeliverySettings;
import io.engageflow.common.delivery.OutboundRecord;
import io.engageflow.common.delivery.Outbox;
import io.engageflow.common.tracing.InstanceLog;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.TriggerTypes;
import io.engageflow.contracts.WorkflowEvent;
import io.engageflow.contracts.expression.Conditions;
import io.engageflow.contracts.expression.Variables;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.orchestrator.config.OrchestratorSettings;
import io.engageflow.orchestrator.domain.definition.WorkflowDefinition;
import io.engageflow.orchestrator.domain.instance.Decider;
import io.engageflow.orchestrator.domain.instance.Decision;
import io.engageflow.orchestrator.domain.instance.Effects;
import io.engageflow.orchestrator.domain.instance.EngineInput;
import io.engageflow.orchestrator.domain.instance.InstanceState;
import io.engageflow.orchestrator.domain.instance.RunStatus;
import io.engageflow.orchestrator.domain.instance.PendingCommand;
import io.engageflow.orchestrator.domain.instance.Rejection;
import io.engageflow.orchestrator.persistence.DefinitionStore;
import io.engageflow.orchestrator.persistence.DefinitionStore.ActiveWorkflow;
import io.engageflow.orchestrator.persistence.InstanceStore;
import io.engageflow.orchestrator.persistence.InstanceStore.ContactRuns;
import io.engageflow.orchestrator.persistence.InstanceStore.IgnoredRow;
import io.engageflow.orchestrator.persistence.InstanceStore.RunQuery;
import io.engageflow.orchestrator.persistence.StatsStore;
import io.engageflow.orchestrator.domain.stats.StatsBatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The orchestrator's one loop: every input — a poll of triggers, a poll of results, the clock, a cancel, a parked
 * record — goes the same way: lock the instances (one statement, id order), {@link Decider#decide decide} each input
 * in arrival order, write the changed instances, the ignored results, the outbox and the workflows' run statistics
 * ({@link StatsBatch}, read off the decisions) — one statement each — in one transaction, and after commit publish
 * the outbox from memory.
 *
 * <p>Deciding evaluates conditions and renders templates a definition's author wrote: work bounded by their limits
 * ({@link Conditions}: a decision's conditions share ten evaluations' worth and 1 s of CPU time; templates: a million
 * characters and 100,000 units of section work per step), but milliseconds, not microseconds, at worst. So the
 * deciding of a batch (trigger conditions, and each {@link Decider#decide} of the batch, in order) runs on a worker
 * thread, between the reads and the writes of the transaction, and the rest goes on as before on the caller's
 * context; the event loop never waits on a condition.
 */
@ApplicationScoped
public class InstanceEngine {
    private static final Logger LOG = Logger.getLogger(InstanceEngine.class);

    private final Pool pool;
    private final Vertx vertx;
    private final Outbox outbox;
    private final InstanceStore store;
    private final DefinitionStore definitions;
    private final StatsStore stats;
    private final MeterRegistry metrics;
    private final InstanceTraces traces;
    private final Duration stepTimeout;
    private final int maxRecordBytes;

    public InstanceEngine(Pool pool, Vertx vertx, Outbox outbox, InstanceStore store, DefinitionStore definitions,
                          StatsStore stats, MeterRegistry metrics, InstanceTraces traces,
                          OrchestratorSettings settings, DeliverySettings delivery) {
        this.pool = pool;
        this.vertx = vertx;
        this.outbox = outbox;
        this.store = store;
        this.definitions = definitions;
        this.stats = stats;
        this.metrics = metrics;
        this.traces = traces;
        this.stepTimeout = settings.orchestrator().stepTimeout();
        this.maxRecordBytes = delivery.maxRecordBytes();
    }

    /** An input for one instance; {@code workspaceId}, when set, must be the instance's (an API call). */
    public record Input(String instanceId, String workspaceId, EngineInput input) {
        public Input(String instanceId, EngineInput input) {
            this(instanceId, null, input);
        }
    }

    /** What became of an input: the instance as it is now (null when unknown) and the decision. */
    public record Outcome(InstanceState state, Decision decision) {
    }

    // ---------------------------------------------------------------- starts

    /**
     * Starts one instance per active workflow of the trigger's workspace and type whose condition holds and whose
     * reentry rule allows it (a paused workflow's counts as skipped, reason {@code paused}); a trigger seen before starts nothing new (one instance per workflow and eventId).
     */
    public Uni<Void> start(List<TriggerEvent> triggers) {
        if (triggers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(tx -> startInTransaction(tx, triggers)).chain(outbox::publish);
    }

    private record Candidate(TriggerEvent trigger, ActiveWorkflow workflow, WorkflowDefinition definition) {
        RunQuery runQuery() {
            return new RunQuery(workflow.workspaceId(), workflow.id(), trigger.contact().id(), trigger.eventId());
        }

        /** The workflow and contact, whatever the trigger: what reentry is about. */
        String contactKey() {
            return workflow.workspaceId() + "\u0000" + workflow.id() + "\u0000" + trigger.contact().id();
        }
    }

    private Uni<Outbox.Pending> startInTransaction(SqlConnection tx, List<TriggerEvent> triggers) {
        List<String> workspaces = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (TriggerEvent t : triggers) {
            workspaces.add(t.workspaceId());
            types.add(canonicalType(t));
        }
        return definitions.active(tx, workspaces, types)
                .chain(active -> loadDefinitions(tx, active, w -> new DefinitionKey(w.workspaceId(), w.id(),
                        w.version())).chain(defs -> offLoop(() -> candidates(triggers, active, defs))))
                .chain(candidates -> reentryAllowed(tx, candidates))
                .chain(candidates -> startAll(tx, candidates));
    }

    private List<Candidate> candidates(List<TriggerEvent> triggers, List<ActiveWorkflow> active,
                                       Map<DefinitionKey, WorkflowDefinition> defs) {
        List<Candidate> candidates = new ArrayList<>();
        for (TriggerEvent trigger : triggers) {
            String type = canonicalType(trigger);
            // the trigger's conditions (one per workflow of its type) share a budget and one reading of the trigger
            Conditions.Session conditions = Conditions.session();
            for (ActiveWorkflow wf : active) {
                if (!wf.workspaceId().equals(trigger.workspaceId()) || !wf.triggerType().equals(type)) {
                    continue;
                }
                if (wf.paused()) {
                    // an admin paused the workflow: it starts nothing until resumed (its running instances go on)
                    skipped("paused");
                    continue;
                }
                WorkflowDefinition def = defs.get(new DefinitionKey(wf.workspaceId(), wf.id(), wf.version()));
                if (def.triggerCondition() != null) {
                    Conditions.Outcome outcome = conditions.evaluate(def.triggerCondition(),
                            Variables.of(trigger.contact(), trigger, Map.of()));
                    if (!outcome.holds()) {
                        LOG.debugf("trigger %s does not start %s: condition %s", trigger.eventId(), wf.id(),
                                outcome.failed() ? "failed: " + outcome.error() : "does not hold");
                        skipped("condition");
                        continue;
                    }
                }
                candidates.add(new Candidate(trigger, wf, def));
            }
        }
        return candidates;
    }

    /** Drops candidates whose workflow's reentry rule refuses the contact (one query for the whole poll). */
    private Uni<List<Candidate>> reentryAllowed(SqlConnection tx, List<Candidate> candidates) {
        List<RunQuery> asked = new ArrayList<>();
        for (Candidate c : candidates) {
            if (c.definition().reentry() != WorkflowDefinition.Reentry.ANYTIME) {
                asked.add(c.runQuery());
            }
        }
        if (asked.isEmpty()) {
            return Uni.createFrom().item(candidates);
        }
        return store.contactRuns(tx, asked).map(runs -> {
            List<Candidate> allowed = new ArrayList<>();
            Set<String> startedHere = new HashSet<>(); // earlier triggers of this poll count too
            for (Candidate c : candidates) {
                ContactRuns r = runs.getOrDefault(c.runQuery(), ContactRuns.NONE);
                boolean refused = switch (c.definition().reentry()) {
                    case ANYTIME -> false;
                    case ONCE -> r.any() || startedHere.contains(c.contactKey());
                    case WHILE_NOT_RUNNING -> r.running() || startedHere.contains(c.contactKey());
                };
                if (refused) {
                    skipped(r.sameEvent() ? "duplicate" : "reentry");
                } else {
                    if (c.definition().reentry() != WorkflowDefinition.Reentry.ANYTIME) {
                        startedHere.add(c.contactKey());
                    }
                    allowed.add(c);
                }
            }
            return allowed;
        });
    }

    private record Started(List<InstanceState> states, Map<String, Effects> effects) {
    }

    private Uni<Outbox.Pending> startAll(SqlConnection tx, List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(Outbox.Pending.NONE);
        }
        return offLoop(() -> decideStarts(candidates)).chain(started -> insertStarted(tx, started));
    }

    private Started decideStarts(List<Candidate> candidates) {
        Instant now = Instant.now();
        List<InstanceState> states = new ArrayList<>();
        Map<String, Effects> effects = new HashMap<>();
        for (Candidate c : candidates) {
            InstanceState state = new InstanceState();
            state.id = UUID.randomUUID().toString();
            state.workspaceId = c.workflow().workspaceId();
            state.workflowId = c.workflow().id();
            state.version = c.workflow().version();
            state.contactId = c.trigger().contact().id();
            state.trigger = c.trigger();
            state.startedAt = now;
            Decision d = Decider.decide(c.definition(), state, new EngineInput.Start(), now, stepTimeout,
                    maxRecordBytes);
            states.add(state);
            effects.put(state.id, d.effects());
        }
        return new Started(states, effects);
    }

    private Uni<Outbox.Pending> insertStarted(SqlConnection tx, Started started) {
        List<InstanceState> states = started.states();
        Map<String, Effects> effects = started.effects();
        // each start's span before the insert, so that the row keeps its context; a duplicate's span is never ended,
        // so never exported
        List<Span> spans = states.stream().map(traces::started).toList();
        return store.insertNew(tx, states).chain(inserted -> {
            List<OutboundRecord> records = new ArrayList<>();
            StatsBatch counted = new StatsBatch();
            for (int i = 0; i < states.size(); i++) {
                InstanceState s = states.get(i);
                if (inserted.contains(s.id)) {
                    records.addAll(records(s, effects.get(s.id), spans.get(i)));
                    if (!s.test) { // a test run is kept out of the figures
                        // no workflow tag: metrics carry no tenant ids (a workflow's figures: its stats endpoint)
                        metrics.counter("engageflow.instances.started").increment();
                        counted.started(s, effects.get(s.id));
                    }
                } else {
                    skipped("duplicate");
                }
            }
            // the statistics last: their counters are shared with other batches, so hold their locks the least time
            return outbox.write(tx, records).call(() -> stats.record(tx, counted));
        });
    }

    /**
     * Starts one instance an admin asked for — a replay, a test run — on the version its state names: the instance
     * (id, workspace, workflow, version, contact, trigger and what marks it) is decided, inserted with its own run
     * key ({@link InstanceState#runKey()}) and its first commands written to the outbox in one transaction, then
     * published. Returns the instance as it started, or null when that version does not exist.
     */
    public Uni<InstanceState> startOne(InstanceState state) {
        return pool.withTransaction(tx -> definitions.find(tx, state.workspaceId, state.workflowId, state.version)
                        .chain(def -> {
                            if (def == null) {
                                return Uni.createFrom().item((Outbox.Pending) null);
                            }
                            return offLoop(() -> {
                                Instant now = Instant.now();
                                state.startedAt = now;
                                Decision d = Decider.decide(def, state, new EngineInput.Start(), now, stepTimeout,
                                        maxRecordBytes);
                                return new Started(List.of(state), Map.of(state.id, d.effects()));
                            }).chain(started -> insertStarted(tx, started));
                        }))
                .chain(pending -> pending == null ? Uni.createFrom().nullItem()
                        : outbox.publish(pending).replaceWith(state));
    }

    private static String canonicalType(TriggerEvent t) {
        return TriggerTypes.canonical(t.type()).orElse(t.type());
    }

    private void skipped(String reason) {
        metrics.counter("engageflow.triggers.skipped", "reason", reason).increment();
    }

    // ---------------------------------------------------------------- results, timers, cancels, aborts

    /** Applies the inputs in order (several may concern one instance) in one transaction; publishes after commit. */
    public Uni<List<Outcome>> apply(List<Input> inputs) {
        if (inputs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> ids = inputs.stream().map(Input::instanceId).filter(id -> id != null).toList();
        return pool.withTransaction(tx -> store.lock(tx, ids).chain(locked -> decideAll(tx, inputs, locked)))
                .chain(applied -> outbox.publish(applied.pending()).replaceWith(applied.outcomes()));
    }

    /** Fires what is due (Delays, result deadlines) for up to {@code limit} instances; returns how many. */
    public Uni<Integer> fireDue(int limit) {
        return pool.withTransaction(tx -> store.lockDue(tx, limit).chain(locked -> {
                    List<Input> inputs = new ArrayList<>();
                    locked.states().keySet().forEach(id -> inputs.add(new Input(id, new EngineInput.Timer())));
                    locked.unreadableIds().forEach(id -> inputs.add(new Input(id, new EngineInput.Timer())));
                    return decideAll(tx, inputs, locked);
                }))
                .chain(applied -> outbox.publish(applied.pending()).replaceWith(applied.outcomes().size()));
    }

    private record Applied(List<Outcome> outcomes, Outbox.Pending pending) {
    }

    private Uni<Applied> decideAll(SqlConnection tx, List<Input> inputs, InstanceStore.Locked locked) {
        Map<String, InstanceState> states = locked.states();
        for (InstanceStore.Unreadable u : locked.unreadable()) {
            InstanceLog.about(traces.traceIdOf(u.traceParent()), u.id(), u.workspaceId(), () -> LOG.errorf(
                    "instance %s has a stored state that cannot be read: it ends failed", u.id()));
            metrics.counter("engageflow.instances.unreadable").increment();
        }
        return store.failUnreadable(tx, locked.unreadableIds()).chain(failed -> loadDefinitions(tx,
                        List.copyOf(states.values()), s -> new DefinitionKey(s.workspaceId, s.workflowId, s.version))
                .chain(defs -> offLoop(() -> decideInputs(inputs, states, defs)))
                .chain(decided -> {
                    failed.forEach(f -> decided.stats().failedUnreadable(f.workspaceId(), f.workflowId(),
                            f.version()));
                    return store.update(tx, decided.toWrite())
                            .chain(() -> store.recordIgnored(tx, decided.ignored()))
                            .chain(() -> outbox.write(tx, decided.records()))
                            // the statistics last: their counters are shared, so hold their locks the least time
                            .call(() -> stats.record(tx, decided.stats()))
                            .map(pending -> new Applied(decided.outcomes(), pending));
                }));
    }

    /** What deciding a batch's inputs came to: what the transaction then writes. */
    private record Decided(List<Outcome> outcomes, List<InstanceState> toWrite, List<IgnoredRow> ignored,
                           List<OutboundRecord> records, StatsBatch stats) {
    }

    private Decided decideInputs(List<Input> inputs, Map<String, InstanceState> states,
                                 Map<DefinitionKey, WorkflowDefinition> defs) {
        Instant now = Instant.now();
        List<Outcome> outcomes = new ArrayList<>();
        Set<String> changed = new LinkedHashSet<>();
        List<OutboundRecord> records = new ArrayList<>();
        List<IgnoredRow> ignored = new ArrayList<>();
        StatsBatch counted = new StatsBatch();
        for (Input in : inputs) {
            InstanceState state = in.instanceId() == null ? null : states.get(in.instanceId());
            if (state != null && in.workspaceId() != null && !in.workspaceId().equals(state.workspaceId)) {
                state = null; // another workspace's instance: as if it did not exist
            }
            Decision decision;
            RunStatus before = state == null ? null : state.status;
            if (state == null) {
                decision = Decision.rejected(Rejection.UNKNOWN_INSTANCE, "unknown instance " + in.instanceId());
            } else {
                WorkflowDefinition def = defs.get(new DefinitionKey(state.workspaceId, state.workflowId,
                        state.version));
                if (def == null && !(in.input() instanceof EngineInput.Abort
                        || in.input() instanceof EngineInput.Cancel)) {
                    throw new IllegalStateException("workflow " + state.workflowId + " has no version "
                            + state.version + " (instance " + state.id + ")");
                }
                decision = Decider.decide(def, state, in.input(), now, stepTimeout, maxRecordBytes);
            }
            if (decision instanceof Decision.Applied a) {
                changed.add(state.id);
                records.addAll(records(state, a.effects(), traces.applied(state, in.input())));
                if (!state.test) {
                    counted.decided(before, state, a.effects(), in.input());
                }
            } else if (in.input() instanceof EngineInput.Result r) {
                ignored.add(IgnoredRow.of(r.result(), ((Decision.Rejected) decision).detail()));
                metrics.counter("engageflow.results.ignored").increment();
                Decision ignoring = decision;
                InstanceLog.about(traces.traceIdOf(state, in.input()), r.result().instanceId(),
                        state == null ? null : state.workspaceId,
                        () -> LOG.debugf("result %s ignored: %s", r.result().commandId(), ignoring));
            }
            outcomes.add(new Outcome(state, decision));
        }
        List<InstanceState> toWrite = changed.stream().map(states::get).toList();
        return new Decided(outcomes, toWrite, ignored, records, counted);
    }

    /**
     * Runs a batch's deciding on a worker thread; the result comes back on the caller's context (the transaction's),
     * where the chain goes on. Unordered: each batch waits for its own result, and batches of different consumers
     * need not queue behind one another.
     */
    private <T> Uni<T> offLoop(Callable<T> deciding) {
        return vertx.executeBlocking(deciding, false);
    }

    // ---------------------------------------------------------------- shared

    private record DefinitionKey(String workspaceId, String workflowId, int version) {
    }

    /**
     * The definitions the items need, one lookup per distinct version (mostly from the cache); a version that does
     * not exist is absent, and only the inputs that need it fail.
     */
    private <T> Uni<Map<DefinitionKey, WorkflowDefinition>> loadDefinitions(SqlConnection tx, List<T> items,
                                                                            Function<T, DefinitionKey> keyOf) {
        Set<DefinitionKey> keys = new LinkedHashSet<>();
        items.forEach(i -> keys.add(keyOf.apply(i)));
        Map<DefinitionKey, WorkflowDefinition> defs = new HashMap<>();
        Uni<Void> loaded = Uni.createFrom().voidItem();
        for (DefinitionKey k : keys) {
            loaded = loaded.chain(() -> definitions.find(tx, k.workspaceId(), k.workflowId(), k.version())
                    .invoke(def -> {
                        if (def != null) {
                            defs.put(k, def);
                        }
                    }).replaceWithVoid());
        }
        return loaded.replaceWith(defs);
    }

    /**
     * The outbox records of a decision: its commands, then its events, keyed by instance id; each carries the trace
     * context of the decision's span (an invalid one when tracing is off), which ends here.
     */
    private List<OutboundRecord> records(InstanceState state, Effects effects, Span decision) {
        List<OutboundRecord> records = new ArrayList<>(effects.commands.size() + effects.events.size());
        for (PendingCommand c : effects.commands) {
            records.add(traces.command(decision, c.command(), new OutboundRecord(c.topic(), state.id, c.json())));
        }
        for (WorkflowEvent e : effects.events) {
            records.add(traces.event(decision, state, e,
                    new OutboundRecord(Topics.WORKFLOW_EVENTS, state.id, eventJson(e))));
            if (e.type() == WorkflowEvent.Type.InstanceEnded) {
                metrics.counter("engageflow.instances.ended", "status", e.status()).increment();
            }
        }
        traces.done(decision);
        return records;
    }

    /** An event's JSON; a step's outputs too large for the broker are left out (the instance view has them). */
    private String eventJson(WorkflowEvent e) {
        String json = JsonCodec.encode(e);
        if (e.outputs() != null && JsonCodec.utf8Length(json) > maxRecordBytes) {
            json = JsonCodec.encode(e.withoutOutputs());
        }
        return json;
    }
}
