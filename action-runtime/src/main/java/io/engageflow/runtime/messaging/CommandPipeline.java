package io.engageflow.runtime.messaging;

import io.engageflow.common.delivery.DeadLetters;
import io.engageflow.common.delivery.Delivery;
import io.engageflow.common.delivery.Failures;
import io.engageflow.common.delivery.InboundRecord;
import io.engageflow.common.delivery.KafkaSender;
import io.engageflow.common.delivery.Outages;
import io.engageflow.common.delivery.OutboundRecord;
import io.engageflow.common.delivery.RecordStage;
import io.engageflow.common.tracing.InstanceLog;
import io.engageflow.common.tracing.Tracing;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.ActionCatalog;
import io.engageflow.contracts.catalog.OutputPaths;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.runtime.actions.ActionConfig;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.ActionRegistry;
import io.engageflow.runtime.actions.CommandListener;
import io.engageflow.runtime.actions.LocalAction;
import io.engageflow.runtime.actions.OutsideAction;
import io.engageflow.runtime.actions.TypedLocalAction;
import io.engageflow.runtime.actions.TypedOutsideAction;
import io.engageflow.runtime.config.PipelineSettings;
import io.engageflow.runtime.persistence.CommandLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.quarkus.arc.All;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The command pipeline every action service runs, on the delivery kit: a poll's commands at a time, each effect once
 * per commandId, no remote call inside a database transaction, and no command that stalls its partition.
 *
 * <ol>
 * <li><b>Read</b>: a record that is not a command (not JSON, a required field missing) is parked at once on
 * {@code <commands topic>.dlq}.</li>
 * <li><b>Transaction 1</b> claims every command of the poll with one statement (a row in processed_command). A
 * command recorded before is answered with its recorded result, not run. For the commands claimed now it runs the
 * {@link CommandListener}s and, for a {@link LocalAction}, the handler, then records their results with one
 * statement: a local effect commits with its record or not at all. After commit the results are published. A typed
 * handler's config ({@link io.engageflow.runtime.actions.TypedConfig}) is decoded once, right before it runs; one
 * that does not decode is the step's Failure with InvalidConfig and the handler is not run.</li>
 * <li><b>Outside calls</b>: each {@link OutsideAction} of the poll is called outside any transaction (a bounded
 * number at a time); <b>transaction 2</b> records their results (and the handlers' bookkeeping), then they are
 * published. Once a call returned, its result is recorded: transaction 2 waits out outages and is tried again
 * with the answer kept in memory, never by calling again.</li>
 * <li>A command <b>claimed elsewhere</b> and not recorded (a twin on another replica mid-call, or a crash between
 * call and record) is looked at again until it is recorded (then answered with that result) or its claim is older
 * than the lease; then it is claimed again and run again. For an outside call this is at least once: a crash after
 * the call and before the record makes the call again — with the commandId as Idempotency-Key where the provider
 * honours one.</li>
 * <li>A failure other than an outage (a handler throws) is the kit's: the group is split, the command tried again,
 * then parked on the .dlq topic; {@link #parked} then records and publishes a Failure result with
 * {@code DeadLettered} so the orchestrator ends the instance failed. An action this service does not have gets a
 * Failure with {@code UnknownAction} (recorded); a result larger than the broker takes becomes a Failure with
 * {@code PayloadTooLarge} (recorded), never dropped.</li>
 * <li>A command of a <b>test run</b> ({@code test: true}) is claimed, recorded and answered like any other; a
 * read-only action of the catalog runs for real inside a savepoint that is rolled back, every other action is not
 * performed and answers what it would have sent ({@link TestMode}).</li>
 * </ol>
 */
@ApplicationScoped
public class CommandPipeline implements RecordStage<ActionCommand> {
    private static final Logger LOG = Logger.getLogger(CommandPipeline.class);
    /** The metric tag of actions this service does not know: forged names must not make new time series. */
    private static final String UNKNOWN = "(unknown)";
    /**
     * The buckets of a command's time in this service (engageflow.commands.duration): a local effect takes a few
     * milliseconds, an outside call up to its timeout (30 s at most in the catalog); the step p99 alert reads them.
     */
    private static final Duration[] DURATION_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final Delivery delivery;
    private final ActionRegistry registry;
    private final List<CommandListener> listeners;
    private final Pool pool;
    private final CommandLog log;
    private final KafkaSender sender;
    private final Outages outages;
    private final PipelineSettings config;
    private final MeterRegistry metrics;
    private final Vertx vertx;
    private final Tracing tracing;
    private final ActionSpans actionSpans;
    private final OwnClaims own = new OwnClaims();
    private long renewalTimer = -1;

    public CommandPipeline(Delivery delivery, ActionRegistry registry, @All List<CommandListener> listeners, Pool pool,
                           CommandLog log, KafkaSender sender, Outages outages, PipelineSettings config,
                           MeterRegistry metrics, Vertx vertx, Tracing tracing, ActionSpans actionSpans) {
        this.delivery = delivery;
        this.registry = registry;
        this.listeners = listeners;
        this.pool = pool;
        this.log = log;
        this.sender = sender;
        this.outages = outages;
        this.config = config;
        this.metrics = metrics;
        this.vertx = vertx;
        this.tracing = tracing;
        this.actionSpans = actionSpans;
    }

    @Incoming("commands")
    public Uni<Void> onCommands(KafkaRecordBatch<String, String> batch) {
        return delivery.consume(batch, this);
    }

    @Override
    public Decoded<ActionCommand> read(InboundRecord record) {
        return CommandReader.read(record.value());
    }

    @Override
    public Uni<Void> process(List<Item<ActionCommand>> items) {
        Map<String, ActionCommand> distinct = new LinkedHashMap<>();
        for (Item<ActionCommand> item : items) {
            if (distinct.putIfAbsent(item.value().commandId(), item.value()) != null) {
                countDuplicate(item.value()); // twice in one poll: answered once
            }
        }
        if (!tracing.on()) {
            return handle(List.copyOf(distinct.values()));
        }
        // one span per command, child of the command's record (the orchestrator's "command issued"), whatever else
        // the poll holds; it ends once the poll's commands are answered
        List<String> traced = new ArrayList<>(items.size());
        for (Item<ActionCommand> item : items) {
            ActionCommand c = item.value();
            if (actionSpans.open(c.commandId(), () -> actionSpan(item.record(), c))) {
                traced.add(c.commandId());
            }
        }
        return handle(List.copyOf(distinct.values())).eventually(() -> traced.forEach(actionSpans::close));
    }

    private Span actionSpan(InboundRecord record, ActionCommand c) {
        Span span = tracing.start("action " + tag(c), SpanKind.CONSUMER, record);
        return Tracing.step(Tracing.instance(span, c.instanceId(), c.workspaceId()), c.stepId(), c.action());
    }

    /** The result record carrying its command's action span (unchanged when tracing is off). */
    private OutboundRecord traced(ActionCommand command, OutboundRecord record) {
        return tracing.on() ? tracing.inject(record, span(command)) : record;
    }

    private Span span(ActionCommand command) {
        return tracing.on() ? actionSpans.of(command.commandId()) : Span.getInvalid();
    }

    /** Parked on the dead-letter topic: the step could not run, so its instance must end failed. */
    @Override
    public Uni<Void> parked(InboundRecord record, ActionCommand command, String reason) {
        if (command == null) {
            return Uni.createFrom().voidItem(); // unreadable: no instance to answer (its step times out)
        }
        Span span = actionSpan(record, command);
        InstanceLog.about(span, command.instanceId(), command.workspaceId(), () -> LOG.warnf(
                "command %s (instance %s, step %s, %s) parked from %s: answered %s", command.commandId(),
                command.instanceId(), command.stepId(), command.action(), record.where(), ErrorCodes.DEAD_LETTERED));
        Answer answer = Answer.of(command, ActionOutcome.failure(ErrorCodes.DEAD_LETTERED, "the command could not be "
                + "processed and was parked on " + DeadLetters.topicFor(record.topic()) + ": " + reason),
                sender.maxRecordBytes());
        return log.recordParked(command.commandId(), command.instanceId(), command.action(), answer.json())
                .invoke(() -> own.release(List.of(command.commandId())))
                .chain(recorded -> send(List.of(tracing.inject(Answer.record(command, recorded), span))))
                .invoke(() -> count(answer, -1))
                .eventually(() -> span.end());
    }

    private Uni<Void> handle(List<ActionCommand> commands) {
        Poll poll = new Poll();
        return pool.withTransaction(tx -> claimAndRunLocal(tx, commands, poll))
                .invoke(() -> poll.claimedOutside.forEach(c -> own.claimed(c.commandId())))
                .chain(() -> send(poll.localRecords(this::traced)))
                .invoke(() -> {
                    poll.ran.forEach(a -> count(a, poll.started));
                    poll.repeats.forEach(r -> countDuplicate(r.command()));
                })
                .chain(() -> outside(poll))
                .chain(() -> poll.waiting.isEmpty() ? Uni.createFrom().voidItem()
                        : pause(config.claimPollInterval()).chain(() -> handle(poll.waiting)));
    }

    /** Transaction 1: claim, sort out what was seen before, run what was claimed now, record the local results. */
    private Uni<Void> claimAndRunLocal(SqlConnection tx, List<ActionCommand> commands, Poll poll) {
        List<CommandLog.Claim> claims = commands.stream()
                .map(c -> new CommandLog.Claim(c.commandId(), c.instanceId(), c.action())).toList();
        return log.claim(tx, claims).chain(claimed -> {
            List<ActionCommand> seen = commands.stream().filter(c -> !claimed.contains(c.commandId())).toList();
            return sortOutSeen(tx, seen, poll).chain(reclaimed -> {
                List<ActionCommand> run = commands.stream()
                        .filter(c -> claimed.contains(c.commandId()) || reclaimed.contains(c.commandId())).toList();
                return Multi.createFrom().iterable(run).onItem().transformToUniAndConcatenate(c -> runClaimed(tx, c, poll))
                        .collect().last();
            });
        }).chain(() -> log.record(tx, poll.ran.stream().map(a -> new CommandLog.Result(a.commandId(), a.json()))
                .toList())).replaceWithVoid();
    }

    /**
     * Commands that were claimed before this poll: recorded ones are answered with their result; this process's own
     * unrecorded ones go on where they stand; another's are claimed again once their lease expired, else waited for.
     * Returns the ids claimed again.
     */
    private Uni<Set<String>> sortOutSeen(SqlConnection tx, List<ActionCommand> seen, Poll poll) {
        if (seen.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        List<String> others = seen.stream().map(ActionCommand::commandId).filter(id -> own.get(id) == null).toList();
        return log.reclaimExpired(tx, others, config.claimLease()).chain(reclaimed -> {
            List<ActionCommand> rest = seen.stream().filter(c -> !reclaimed.contains(c.commandId())).toList();
            return log.results(tx, rest.stream().map(ActionCommand::commandId).toList()).map(stored -> {
                for (ActionCommand c : rest) {
                    String recorded = stored.get(c.commandId());
                    OwnClaims.Claim mine = own.get(c.commandId());
                    if (recorded != null) {
                        poll.repeats.add(new Repeat(c, recorded));
                        if (mine != null && mine.state() != OwnClaims.State.CALLING) {
                            own.release(List.of(c.commandId())); // recorded by another (parked, or a twin)
                        }
                    } else if (mine == null || mine.state() == OwnClaims.State.CALLING) {
                        awaitClaim(poll, c);
                    } else if (mine.state() == OwnClaims.State.CALLED) {
                        poll.toRecord.add(mine.answer()); // the call returned, its record failed: record, never call
                    } else {
                        poll.toCall.add(prepared(c)); // its handler threw before: the delivery's next attempt
                    }
                }
                return reclaimed;
            });
        });
    }

    /** Claimed elsewhere and not recorded: looked at again after a pause (counted: a wait shows in the metrics). */
    private void awaitClaim(Poll poll, ActionCommand command) {
        poll.waiting.add(command);
        metrics.counter("engageflow.commands.claim.waits", "action", tag(command)).increment();
    }

    private Uni<Void> runClaimed(SqlConnection tx, ActionCommand command, Poll poll) {
        ActionHandler handler = registry.find(command.action()).orElse(null);
        if (handler == null) {
            poll.ran.add(Answer.of(command, ActionOutcome.failure(ErrorCodes.UNKNOWN_ACTION,
                    command.action() + " is not an action of " + registry.category()), sender.maxRecordBytes()));
            return Uni.createFrom().voidItem();
        }
        ActionCommand prepared = prepared(command);
        TestMode mode = TestMode.of(prepared);
        if (mode == TestMode.NOT_PERFORMED) { // neither listeners nor handler: nothing changes, nothing is called
            poll.ran.add(Answer.of(prepared, TestMode.notPerformed(prepared), sender.maxRecordBytes()));
            return Uni.createFrom().voidItem();
        }
        Uni<Void> before = Multi.createFrom().iterable(listeners)
                .onItem().transformToUniAndConcatenate(l -> Uni.createFrom().deferred(() -> l.beforeAction(prepared, tx)))
                .collect().last().replaceWithVoid();
        if (handler instanceof LocalAction local) {
            Uni<ActionOutcome> run = before.chain(() -> Uni.createFrom().deferred(() -> execute(local, prepared, tx)));
            return rolledBackIfTest(mode, tx, run)
                    .invoke(outcome -> poll.ran.add(Answer.of(prepared, outcome, sender.maxRecordBytes())))
                    .replaceWithVoid();
        }
        // a read-only outside action: its call changes nothing; what its listeners wrote is rolled back
        return rolledBackIfTest(mode, tx, before).invoke(() -> {
            poll.toCall.add(prepared);
            poll.claimedOutside.add(prepared);
        });
    }

    /**
     * A read-only action of a test run runs for real, yet whatever it or a listener wrote on the way (the contact
     * snapshot a test trigger carries, merged into the stored contact) must not stay: it runs inside a savepoint of
     * the poll's transaction that is rolled back afterwards; the command's claim and record stay, outside it.
     */
    private static <T> Uni<T> rolledBackIfTest(TestMode mode, SqlConnection tx, Uni<T> run) {
        if (mode != TestMode.RUN_ROLLED_BACK) {
            return run;
        }
        return tx.query("SAVEPOINT test_run").execute()
                .chain(() -> run)
                .call(() -> tx.query("ROLLBACK TO SAVEPOINT test_run").execute()
                        .chain(() -> tx.query("RELEASE SAVEPOINT test_run").execute()));
    }

    /** The outside calls of the poll, then transaction 2 records them all, then they are published. */
    private Uni<Void> outside(Poll poll) {
        List<ActionCommand> calls = new ArrayList<>();
        for (ActionCommand c : poll.toCall) {
            if (own.startCall(c.commandId())) {
                calls.add(c);
            } else {
                awaitClaim(poll, c); // its call runs in another consumer of this process
            }
        }
        if (calls.isEmpty() && poll.toRecord.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(calls).onItem().transformToUni(this::call)
                .merge(Math.max(1, config.outsideConcurrency())).collect().asList()
                .chain(called -> {
                    List<Answer> answers = new ArrayList<>(poll.toRecord);
                    Throwable failure = null;
                    for (Called c : called) {
                        if (c.answer() != null) {
                            answers.add(c.answer());
                        } else if (failure == null) {
                            failure = c.failure();
                        }
                    }
                    Throwable thrown = failure;
                    return recordOutside(answers, poll.started).chain(() -> thrown == null ? Uni.createFrom().voidItem()
                            : Uni.createFrom().failure(thrown));
                });
    }

    /** One outside call; never fails (a thrown handler comes back as the failure, for the delivery to retry). */
    private Uni<Called> call(ActionCommand command) {
        OutsideAction handler = (OutsideAction) registry.find(command.action()).orElseThrow();
        Uni<ActionOutcome> called = Uni.createFrom().deferred(() -> call(handler, command));
        if (tracing.on()) { // the remote part of the action: a child of its span
            Span remote = tracing.child("outside call", SpanKind.CLIENT, span(command));
            Tracing.step(Tracing.instance(remote, command.instanceId(), command.workspaceId()), command.stepId(),
                    command.action());
            called = called.onTermination().invoke(remote::end);
        }
        return called
                .map(outcome -> Answer.of(command, outcome, sender.maxRecordBytes()))
                .invoke(answer -> own.called(command.commandId(), answer))
                .map(answer -> new Called(answer, null))
                .onFailure().recoverWithItem(e -> {
                    own.callFailed(command.commandId());
                    // the message may quote the command's config or contact: the exception's type only above DEBUG
                    InstanceLog.about(span(command), command.instanceId(), command.workspaceId(), () -> {
                        LOG.warnf("%s %s threw %s", command.action(), command.commandId(), e.getClass().getName());
                        LOG.debugf("%s %s threw: %s", command.action(), command.commandId(), Failures.describe(e));
                    });
                    return new Called(null, e);
                });
    }

    /**
     * A local action run; a typed handler's config is decoded here, once, and one that does not decode is the step's
     * InvalidConfig (after the listeners, as a handler's own refusal would be).
     */
    private Uni<ActionOutcome> execute(LocalAction local, ActionCommand command, SqlConnection tx) {
        if (!(local instanceof TypedLocalAction<?> typed)) {
            return local.execute(command, tx);
        }
        Decoded<?> config = registry.decode(command);
        return config.isOk() ? execute(typed, command, config.value(), tx)
                : Uni.createFrom().item(ActionConfig.invalid(config));
    }

    private static <C> Uni<ActionOutcome> execute(TypedLocalAction<C> handler, ActionCommand command, Object config,
                                                  SqlConnection tx) {
        return handler.execute(command, handler.configType(command.action()).cast(config), tx);
    }

    /** An outside call; a typed handler's config is decoded here, once, and one that does not decode is not called. */
    private Uni<ActionOutcome> call(OutsideAction outside, ActionCommand command) {
        if (!(outside instanceof TypedOutsideAction<?> typed)) {
            return outside.call(command);
        }
        Decoded<?> config = registry.decode(command);
        return config.isOk() ? call(typed, command, config.value())
                : Uni.createFrom().item(ActionConfig.invalid(config));
    }

    private static <C> Uni<ActionOutcome> call(TypedOutsideAction<C> handler, ActionCommand command, Object config) {
        return handler.call(command, handler.configType(command.action()).cast(config));
    }

    /**
     * Transaction 2: records the outside results (each only if the command has none yet) with the handlers'
     * bookkeeping; waits out outages without calling again. A command recorded meanwhile by someone else (parked,
     * or a twin that claimed it again) is answered with that record.
     */
    private Uni<Void> recordOutside(List<Answer> answers, long started) {
        if (answers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<CommandLog.Result> results = answers.stream()
                .map(a -> new CommandLog.Result(a.commandId(), a.json())).toList();
        List<Answer> recordedNow = new ArrayList<>();
        List<OutboundRecord> publish = new ArrayList<>();
        return outages.waitOut(() -> pool.withTransaction(tx -> log.record(tx, results).chain(recorded -> {
                    recordedNow.clear();
                    publish.clear();
                    List<Answer> before = new ArrayList<>();
                    for (Answer a : answers) {
                        (recorded.contains(a.commandId()) ? recordedNow : before).add(a);
                    }
                    return Multi.createFrom().iterable(recordedNow).onItem()
                            .transformToUniAndConcatenate(a -> bookkeeping(a, tx)).collect().last()
                            .chain(() -> log.results(tx, before.stream().map(Answer::commandId).toList()))
                            .invoke(stored -> {
                                recordedNow.forEach(a -> publish.add(traced(a.command(), a.record())));
                                for (Answer a : before) {
                                    String json = stored.get(a.commandId());
                                    if (json != null) {
                                        publish.add(traced(a.command(), Answer.record(a.command(), json)));
                                    }
                                }
                            });
                })))
                .invoke(() -> own.release(answers.stream().map(Answer::commandId).toList()))
                .chain(() -> send(publish))
                .invoke(() -> recordedNow.forEach(a -> count(a, started)));
    }

    private Uni<Void> bookkeeping(Answer answer, SqlConnection tx) {
        OutsideAction handler = (OutsideAction) registry.find(answer.command().action()).orElseThrow();
        return Uni.createFrom().deferred(() -> record(handler, answer.command(), answer.outcome(), tx));
    }

    /** A typed handler's bookkeeping gets the config decoded as for its call; one that did not decode has none. */
    private Uni<Void> record(OutsideAction outside, ActionCommand command, ActionOutcome outcome, SqlConnection tx) {
        if (!(outside instanceof TypedOutsideAction<?> typed)) {
            return outside.record(command, outcome, tx);
        }
        Decoded<?> config = registry.decode(command);
        return config.isOk() ? record(typed, command, config.value(), outcome, tx) : Uni.createFrom().voidItem();
    }

    private static <C> Uni<Void> record(TypedOutsideAction<C> handler, ActionCommand command, Object config,
                                        ActionOutcome outcome, SqlConnection tx) {
        return handler.record(command, handler.configType(command.action()).cast(config), outcome, tx);
    }

    /** The command as its handler sees it: catalog defaults filled in where the config leaves a key out. */
    static ActionCommand prepared(ActionCommand c) {
        return ActionCatalog.find(c.action()).map(spec -> new ActionCommand(c.commandId(), c.instanceId(), c.stepId(),
                c.attempt(), c.workspaceId(), c.action(), ActionCatalog.withDefaults(spec, c.config()), c.contact(),
                c.trigger(), c.deadline(), c.steps(), c.test())).orElse(c);
    }

    /** Publishes results once recorded; while the broker is unreachable it waits (the records are in memory). */
    private Uni<Void> send(List<OutboundRecord> records) {
        return records.isEmpty() ? Uni.createFrom().voidItem() : outages.waitOut(() -> sender.send(records));
    }

    private Uni<Void> pause(Duration duration) {
        return Uni.createFrom().emitter(e -> vertx.setTimer(Math.max(1, duration.toMillis()), id -> e.complete(null)));
    }

    /**
     * Commands of test runs are counted apart: engageflow.commands shows real work only. A real command's time here,
     * from the start of the poll that ran it to its result published ({@code started}, System.nanoTime; negative
     * when unknown), goes into the histogram engageflow.commands.duration per action and path (both bounded by the
     * catalog).
     */
    private void count(Answer answer, long started) {
        String path = answer.result().path() == null ? OutputPaths.FAILURE : answer.result().path();
        if (LOG.isDebugEnabled()) { // following one run: each answer, with its trace and instance in the MDC
            ActionCommand c = answer.command();
            InstanceLog.about(span(c), c.instanceId(), c.workspaceId(), () -> LOG.debugf(
                    "command %s (step %s, %s) answered %s", c.commandId(), c.stepId(), c.action(), path));
        }
        // each name a literal: the operations manifests test reads metric names from the code
        if (answer.command().test()) {
            metrics.counter("engageflow.commands.test", "action", tag(answer.command()), "path", path).increment();
        } else {
            metrics.counter("engageflow.commands", "action", tag(answer.command()), "path", path).increment();
            if (started >= 0) {
                Timer.builder("engageflow.commands.duration").tag("action", tag(answer.command())).tag("path", path)
                        .serviceLevelObjectives(DURATION_BUCKETS).register(metrics)
                        .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
        }
    }

    private void countDuplicate(ActionCommand command) {
        metrics.counter("engageflow.commands.duplicate", "action", tag(command)).increment();
    }

    private String tag(ActionCommand command) {
        return registry.find(command.action()).isPresent() ? command.action() : UNKNOWN;
    }

    /** Keeps this process's claims of commands in flight from expiring, every third of the lease. */
    @PostConstruct
    void startRenewal() {
        long every = Math.max(100, config.claimLease().toMillis() / 3);
        renewalTimer = vertx.setPeriodic(every, id -> {
            List<String> held = own.held();
            if (!held.isEmpty()) {
                log.renew(held).subscribe().with(ok -> { },
                        e -> LOG.warnf("claims of %d commands in flight not renewed: %s", held.size(),
                                Failures.describe(e)));
            }
        });
    }

    @PreDestroy
    void stopRenewal() {
        vertx.cancelTimer(renewalTimer);
    }

    /** What one pass over a poll's commands found and did. */
    private static final class Poll {
        /** When the pass began (System.nanoTime): a command's time in this service counts from here. */
        final long started = System.nanoTime();
        /** Run now (local actions, unknown actions): recorded in transaction 1. */
        final List<Answer> ran = new ArrayList<>();
        /** Recorded before: answered with that result. */
        final List<Repeat> repeats = new ArrayList<>();
        /** Outside actions to call. */
        final List<ActionCommand> toCall = new ArrayList<>();
        /** Outside actions claimed in transaction 1: this process's once it commits. */
        final List<ActionCommand> claimedOutside = new ArrayList<>();
        /** Outside actions whose call returned before and whose record failed. */
        final List<Answer> toRecord = new ArrayList<>();
        /** Claimed elsewhere and not recorded yet. */
        final List<ActionCommand> waiting = new ArrayList<>();

        /** The results to publish after transaction 1, each carrying its command's trace context. */
        List<OutboundRecord> localRecords(BiFunction<ActionCommand, OutboundRecord, OutboundRecord> traced) {
            List<OutboundRecord> records = new ArrayList<>(ran.size() + repeats.size());
            ran.forEach(a -> records.add(traced.apply(a.command(), a.record())));
            repeats.forEach(r -> records.add(traced.apply(r.command(), Answer.record(r.command(), r.json()))));
            return records;
        }
    }

    private record Repeat(ActionCommand command, String json) {
    }

    private record Called(Answer answer, Throwable failure) {
    }
}
