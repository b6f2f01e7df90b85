package io.engageflow.runtime.messaging;

import io.engageflow.common.messaging.KafkaRecords;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.RejectedRecord;
import io.engageflow.contracts.catalog.ActionCatalog;
import io.engageflow.contracts.catalog.ActionSpec;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.ActionRegistry;
import io.engageflow.runtime.actions.CommandListener;
import io.engageflow.runtime.persistence.ProcessedCommand;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.common.errors.RetriableException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The command pipeline every action service runs: read the command → de-duplicate by commandId → run the handler →
 * record the result in the same transaction as the handler's effects → publish the result after commit. A command
 * seen before is answered with its recorded result and not run again. A record that cannot be read goes to
 * {@code actions.commands.rejected}; an action this service does not know gets a Failure result. Nothing wedges
 * the consumer.
 */
@ApplicationScoped
public class CommandPipeline {
    private static final Logger LOG = Logger.getLogger(CommandPipeline.class);

    private final ActionRegistry registry;
    private final Instance<CommandListener> listeners;
    private final MutinyEmitter<String> results;
    private final MutinyEmitter<String> rejected;
    private final MeterRegistry metrics;

    public CommandPipeline(ActionRegistry registry, Instance<CommandListener> listeners,
                           @Channel("results") MutinyEmitter<String> results,
                           @Channel("commands-rejected") MutinyEmitter<String> rejected, MeterRegistry metrics) {
        this.registry = registry;
        this.listeners = listeners;
        this.results = results;
        this.rejected = rejected;
        this.metrics = metrics;
    }

    @Incoming("commands")
    public Uni<Void> onCommand(String payload) {
        Decoded<ActionCommand> decoded = JsonCodec.decode(payload, ActionCommand.class);
        List<String> problems = new ArrayList<>(decoded.errors());
        if (decoded.isOk()) {
            problems.addAll(missingFields(decoded.value()));
        }
        if (!problems.isEmpty()) {
            return reject(payload, problems);
        }
        ActionCommand command = decoded.value();
        return process(command)
                .chain(result -> publish(result).replaceWith(result))
                .invoke(result -> metrics.counter("engageflow.commands", "action", command.action(),
                        "path", result.path()).increment())
                .replaceWithVoid();
    }

    /** Runs a command once; a repeat returns the recorded result. Visible for tests of the pipeline. */
    public Uni<ActionResult> process(ActionCommand command) {
        ActionHandler handler = registry.find(command.action()).orElse(null);
        if (handler == null) {
            return Uni.createFrom().item(result(command, ActionOutcome.failure(ErrorCodes.UNKNOWN_ACTION,
                    command.action() + " is not an action of " + registry.category())));
        }
        ActionSpec spec = ActionCatalog.find(command.action()).orElseThrow();
        ActionCommand withDefaults = new ActionCommand(command.commandId(), command.instanceId(), command.stepId(),
                command.attempt(), command.workspaceId(), command.action(),
                ActionCatalog.withDefaults(spec, command.config()), command.contact(), command.trigger(),
                command.deadline(), command.steps());
        return Panache.withTransaction(() -> ProcessedCommand.<ProcessedCommand>findById(command.commandId())
                        .chain(seen -> seen != null ? Uni.createFrom().item(duplicate(seen))
                                : run(handler, withDefaults)
                                        .call(result -> ProcessedCommand.of(result).persist())))
                // a concurrent twin won the insert: its transaction holds the effect, answer with its result
                .onFailure(CommandPipeline::isUniqueViolation).recoverWithUni(() -> recorded(command))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(3)
                .onFailure().recoverWithUni(e -> {
                    LOG.errorf(e, "command %s (%s) could not run", command.commandId(), command.action());
                    return Uni.createFrom().item(result(command,
                            ActionOutcome.failure(ErrorCodes.INTERNAL, "action could not run: " + e)));
                });
    }

    private Uni<ActionResult> run(ActionHandler handler, ActionCommand command) {
        Uni<Void> before = Uni.createFrom().voidItem();
        for (CommandListener listener : listeners) {
            before = before.call(() -> listener.beforeAction(command));
        }
        return before.chain(() -> handler.execute(command)).map(outcome -> result(command, outcome));
    }

    private Uni<ActionResult> recorded(ActionCommand command) {
        return Panache.withSession(() -> ProcessedCommand.<ProcessedCommand>findById(command.commandId()))
                .map(seen -> {
                    if (seen == null) {
                        // the conflict was on the action's own data (e.g. two first-time writes of one row): retry
                        throw new IllegalStateException("concurrent write conflict on " + command.commandId());
                    }
                    return duplicate(seen);
                });
    }

    private ActionResult duplicate(ProcessedCommand seen) {
        metrics.counter("engageflow.commands.duplicate", "action", seen.action).increment();
        LOG.debugf("command %s seen before: answering with its recorded result", seen.commandId);
        return seen.result();
    }

    /**
     * The result is recorded, so it must reach the orchestrator: while the broker is unreachable (a retriable
     * Kafka error) this partition waits and retries without end rather than commit the offset of a command whose
     * answer was never sent; any other send error is retried a few times and then logged.
     */
    private Uni<Void> publish(ActionResult result) {
        return results.sendMessage(KafkaRecords.keyed(result.instanceId(), JsonCodec.encode(result)))
                .onFailure(CommandPipeline::brokerUnavailable)
                .invoke(e -> LOG.warnf("result of %s not published yet, retrying: %s", result.commandId(), e))
                .onFailure(CommandPipeline::brokerUnavailable).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(5);
    }

    private Uni<Void> reject(String payload, List<String> problems) {
        LOG.warnf("rejected command record: %s", problems);
        metrics.counter("engageflow.commands.rejected").increment();
        RejectedRecord record = RejectedRecord.of("invalid command", problems, payload,
                registry.category().commandTopic());
        return rejected.sendMessage(KafkaRecords.keyed(null, JsonCodec.encode(record)));
    }

    private static List<String> missingFields(ActionCommand c) {
        List<String> missing = new ArrayList<>();
        if (blank(c.commandId())) {
            missing.add("commandId is required");
        }
        if (blank(c.instanceId())) {
            missing.add("instanceId is required");
        }
        if (blank(c.stepId())) {
            missing.add("stepId is required");
        }
        if (blank(c.workspaceId())) {
            missing.add("workspaceId is required");
        }
        if (blank(c.action())) {
            missing.add("action is required");
        }
        if (c.contact() == null || blank(c.contact().id())) {
            missing.add("contact.id is required");
        }
        return missing;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static ActionResult result(ActionCommand c, ActionOutcome o) {
        return new ActionResult(c.commandId(), c.instanceId(), c.stepId(), c.action(), o.path(), o.outputs(),
                o.error(), Instant.now());
    }

    private static boolean brokerUnavailable(Throwable e) {
        return anyCause(e, t -> t instanceof RetriableException);
    }

    static boolean isUniqueViolation(Throwable e) {
        return anyCause(e, t -> {
            String m = String.valueOf(t.getMessage());
            return m.contains("23505") || m.contains("duplicate key");
        });
    }

    /** Whether the failure or anything in its cause chain matches: drivers and connectors wrap what they throw. */
    private static boolean anyCause(Throwable e, Predicate<Throwable> test) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }
}
