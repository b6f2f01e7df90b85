package io.engageflow.orchestrator.domain.instance;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionError;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.WorkflowEvent;
import io.engageflow.contracts.catalog.ActionCatalog;
import io.engageflow.contracts.catalog.ActionSpec;
import io.engageflow.contracts.catalog.ConfigKey;
import io.engageflow.contracts.catalog.OutputPaths;
import io.engageflow.contracts.catalog.ValueType;
import io.engageflow.contracts.expression.Conditions;
import io.engageflow.contracts.expression.Templates;
import io.engageflow.contracts.expression.Variables;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.orchestrator.domain.definition.ActionStep;
import io.engageflow.orchestrator.domain.definition.DecisionStep;
import io.engageflow.orchestrator.domain.definition.DefinitionLimits;
import io.engageflow.orchestrator.domain.definition.DefinitionValidator;
import io.engageflow.orchestrator.domain.definition.DelayStep;
import io.engageflow.orchestrator.domain.definition.SplitStep;
import io.engageflow.orchestrator.domain.definition.Step;
import io.engageflow.orchestrator.domain.definition.TemplateRules;
import io.engageflow.orchestrator.domain.definition.WorkflowDefinition;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The workflow state machine, pure Java: given a definition, an instance and an input (start, a result, the clock,
 * a cancel), it updates the instance and returns the commands and events that follow. No I/O, so every flow rule is
 * tested with plain JUnit; the engine persists the instance and the effects in one transaction.
 *
 * <p>Sequence semantics (CONTRACT.md): a step starts when the step before it has finished, including the steps of
 * the path it took; a path's block runs before the next sibling; a Split finishes when all its branches have.
 */
public final class Decider {
    /** A Split's output listing, per branch, whether it is {@link #TAKEN} or {@link #SKIPPED}. */
    public static final String BRANCHES = "branches";
    public static final String TAKEN = "taken";
    public static final String SKIPPED = "skipped";
    /** Largest command sent, in bytes: a step whose command would not fit the broker cannot run. */
    public static final int DEFAULT_MAX_COMMAND_BYTES = 900_000;

    private final WorkflowDefinition definition;
    private final InstanceState instance;
    private final Instant now;
    private final Duration defaultTimeout;
    private final int maxCommandBytes;
    private final Effects effects = new Effects();
    /** Every condition this decision evaluates shares one cost budget (see {@link Conditions}). */
    private final Conditions.Session conditions;
    /** Steps started again by a retry, with the attempts they had: the new attempt continues their count. */
    private final Map<String, Integer> priorAttempts = new LinkedHashMap<>();

    private Decider(WorkflowDefinition definition, InstanceState instance, Instant now, Duration defaultTimeout,
                    int maxCommandBytes) {
        this.definition = definition;
        this.instance = instance;
        this.now = now;
        this.conditions = Conditions.session(now);
        this.defaultTimeout = defaultTimeout;
        this.maxCommandBytes = maxCommandBytes;
    }

    /**
     * The one entry point: applies the input to the instance (which it changes in place) and says what follows.
     *
     * @param timeout         the result deadline of an action step that names none
     * @param maxCommandBytes the largest command (UTF-8 JSON) that may be sent
     */
    public static Decision decide(WorkflowDefinition def, InstanceState instance, EngineInput input, Instant now,
                                  Duration timeout, int maxCommandBytes) {
        if (instance.status.terminal() && !(input instanceof EngineInput.Start)
                && !(input instanceof EngineInput.RetryStep)) {
            return Decision.rejected(Rejection.INSTANCE_ENDED, "instance is " + instance.status.json());
        }
        Decider d = new Decider(def, instance, now, timeout, maxCommandBytes);
        // Java 17: no pattern switch yet; EngineInput is sealed, so these six are every case
        if (input instanceof EngineInput.Result result) {
            return d.result(result.result());
        } else if (input instanceof EngineInput.Timer) {
            return d.timer();
        } else if (input instanceof EngineInput.Cancel) {
            return d.cancelAll();
        } else if (input instanceof EngineInput.Abort abort) {
            return d.abort(abort);
        } else if (input instanceof EngineInput.RetryStep) {
            return d.retryStep();
        }
        return d.start();
    }

    /** {@link #decide} with the default command size limit. */
    public static Decision decide(WorkflowDefinition def, InstanceState instance, EngineInput input, Instant now,
                                  Duration timeout) {
        return decide(def, instance, input, now, timeout, DEFAULT_MAX_COMMAND_BYTES);
    }

    private Decision applied() {
        return new Decision.Applied(effects);
    }

    private Decision start() {
        event(WorkflowEvent.Type.InstanceStarted, null);
        advance();
        return applied();
    }

    /** A result for an unknown, finished or superseded command changes nothing. */
    private Decision result(ActionResult result) {
        StepState step = instance.steps.get(result.stepId());
        if (step == null) {
            return Decision.rejected(Rejection.STEP_NOT_STARTED, "no step " + result.stepId() + " was started");
        }
        if (step.status.terminal()) {
            return Decision.rejected(Rejection.STEP_FINISHED, "step " + result.stepId() + " already finished");
        }
        if (step.commandId == null || !step.commandId.equals(result.commandId())) {
            return Decision.rejected(Rejection.STALE_COMMAND, "result is for command " + result.commandId()
                    + ", not " + step.commandId);
        }
        if (result.error() != null && ErrorCodes.DEAD_LETTERED.equals(result.error().code())) {
            // the action service parked the command: the engine could not run the step at all
            cannotRun(step, ErrorCodes.DEAD_LETTERED, result.error().message());
            return applied();
        }
        String path = result.path() == null ? OutputPaths.FAILURE : result.path();
        completeStep(step, path, result.outputs(), result.error());
        advance();
        return applied();
    }

    /** Fires what is due: Delays whose time has come, and action steps past their deadline (Failure, Timeout). */
    private Decision timer() {
        boolean fired = false;
        for (StepState step : List.copyOf(instance.steps.values())) {
            if (step.status != RunStatus.RUNNING || step.dueAt == null || step.dueAt.isAfter(now)) {
                continue;
            }
            fired = true;
            if (definition.step(step.stepId).orElse(null) instanceof DelayStep) {
                completeStep(step, OutputPaths.SUCCESS, Map.of("fired_at", now.toString()), null);
            } else { // only action steps have a result deadline
                completeStep(step, OutputPaths.FAILURE, Map.of(), new ActionError(ErrorCodes.TIMEOUT,
                        "no result within the step's deadline " + step.dueAt));
                step.commandId = null; // a late result is stale from now on
            }
        }
        if (!fired) {
            return Decision.rejected(Rejection.NOTHING_DUE, "nothing due at " + now);
        }
        advance();
        return applied();
    }

    private Decision cancelAll() {
        cancelRunning();
        end(RunStatus.CANCELLED);
        return applied();
    }

    /** A record of the instance was parked: the step it names (or the instance alone) fails with the reason. */
    private Decision abort(EngineInput.Abort abort) {
        StepState step = abort.stepId() == null ? null : instance.steps.get(abort.stepId());
        if (step != null && step.status == RunStatus.RUNNING) {
            cannotRun(step, abort.code(), abort.message());
        } else {
            cancelRunning();
            end(RunStatus.FAILED);
        }
        return applied();
    }

    /**
     * Runs the failed step of a failed instance again: the step (failed: the engine could not run it) and the steps
     * its failure cancelled are forgotten, the instance is running again and goes on from the top of its sequence,
     * where finished steps are passed by and the forgotten ones start anew, each with its next attempt.
     */
    private Decision retryStep() {
        if (instance.status != RunStatus.FAILED
                || instance.steps.values().stream().noneMatch(s -> s.status == RunStatus.FAILED)) {
            return Decision.rejected(Rejection.NOTHING_TO_RETRY, "instance is " + instance.status.json()
                    + (instance.status == RunStatus.FAILED ? " but no step of it failed" : ", not failed"));
        }
        for (StepState step : List.copyOf(instance.steps.values())) {
            if (step.status == RunStatus.FAILED || step.status == RunStatus.CANCELLED) {
                priorAttempts.put(step.stepId, step.attempts);
                instance.steps.remove(step.stepId);
            }
        }
        instance.status = RunStatus.RUNNING;
        instance.endedAt = null;
        advance();
        return applied();
    }

    private void advance() {
        if (instance.status.terminal()) {
            return;
        }
        boolean done = sequence(definition.steps());
        if (instance.status.terminal()) {
            return; // a step could not be run at all: end() already happened
        }
        if (done) {
            end(RunStatus.COMPLETED);
        }
    }

    /** Runs a sequence as far as it can go; true when every step of it (and of the paths taken) has finished. */
    private boolean sequence(List<Step> steps) {
        for (Step step : steps) {
            StepState state = instance.steps.get(step.id());
            if (state == null) {
                state = startStep(step);
                if (instance.status.terminal()) {
                    return false;
                }
            }
            if (state.status == RunStatus.RUNNING && step instanceof SplitStep split) {
                // a skipped branch counts as finished: the Split joins on the branches that run, and when none
                // runs it completes here, at once
                List<?> branches = state.outputs.get(BRANCHES) instanceof List<?> l ? l : List.of();
                boolean all = true;
                for (int b = 0; b < split.branches().size(); b++) {
                    if (b < branches.size() && SKIPPED.equals(branches.get(b))) {
                        continue;
                    }
                    all &= sequence(split.branches().get(b).steps());
                }
                if (instance.status.terminal()) {
                    return false;
                }
                if (all) {
                    completeStep(state, OutputPaths.SUCCESS, state.outputs, state.error);
                }
            }
            if (state.status == RunStatus.RUNNING) {
                return false;
            }
            List<Step> block = state.path == null ? null : step.paths().get(state.path);
            if (block != null && !sequence(block)) {
                return false;
            }
        }
        return true;
    }

    private StepState startStep(Step step) {
        StepState state = new StepState(step.id(), step.action(), now);
        state.attempts = priorAttempts.getOrDefault(step.id(), 0);
        instance.steps.put(step.id(), state);
        String forced = instance.test ? instance.forcePaths.get(step.id()) : null;
        if (forced != null) {
            // a test run's forced path: taken at once, nothing is sent
            completeStep(state, forced, Map.of("forced", true), null);
        } else {
            step.match(a -> dispatch(a, state), d -> decide(d, state), d -> startDelay(d, state),
                    s -> chooseBranches(s, state));
        }
        // a Split stays running until its branches finish
        return state;
    }

    private void startDelay(DelayStep step, StepState state) {
        if (instance.test) {
            // a test run does not wait
            completeStep(state, OutputPaths.SUCCESS, Map.of("skipped", "test run"), null);
        } else {
            schedule(step, state);
        }
    }

    /**
     * Which branches of a Split run, decided once when it starts and kept in its outputs ({@code branches}: taken or
     * skipped, one a branch, in definition order), so later results never re-decide it. A branch's condition is
     * evaluated as a Decision's case is: as written, never rendered, over the same variables; one that cannot be
     * evaluated (a missing value, past its cost limit) does not hold, so its branch is skipped, and the first such
     * error is kept on the Split step (error code ConditionError) while the Split goes on, as a Decision does.
     */
    private void chooseBranches(SplitStep step, StepState state) {
        List<String> chosen = new ArrayList<>(step.branches().size());
        Map<String, Object> vars = null;
        ActionError firstError = null;
        for (int b = 0; b < step.branches().size(); b++) {
            SplitStep.Branch branch = step.branches().get(b);
            if (!branch.conditional()) {
                chosen.add(TAKEN);
                continue;
            }
            if (vars == null) {
                vars = variables();
            }
            Conditions.Outcome outcome = conditions.evaluate(branch.when(), vars);
            if (outcome.failed() && firstError == null) {
                firstError = new ActionError(ErrorCodes.CONDITION_ERROR, "branch " + b + ", " + branch.when() + ": "
                        + outcome.error());
            }
            chosen.add(outcome.holds() ? TAKEN : SKIPPED);
        }
        state.outputs = Map.of(BRANCHES, List.copyOf(chosen));
        state.error = firstError;
    }

    private void dispatch(ActionStep step, StepState state) {
        ActionSpec spec = ActionCatalog.find(step.action()).orElse(null);
        if (spec == null) {
            cannotRun(state, ErrorCodes.UNKNOWN_ACTION, "unknown action " + step.action());
            return;
        }
        Map<String, Map<String, Object>> outputs = instance.outputsByStep();
        Map<String, Object> config = step.config();
        // a condition setting (ContactFilter's, GameplayFilter's) is never rendered: it goes out as written and
        // reads the variables itself where it is evaluated
        Map<String, Object> toRender = config;
        for (ConfigKey key : spec.config()) {
            if (key.type() == ValueType.CRITERIA && Templates.isTemplate(config.get(key.name()))) {
                // stored before criteria text refused templates: rendering it would paste data into a query
                cannotRun(state, ErrorCodes.INVALID_CONFIG, key.name() + ": " + DefinitionValidator.CRITERIA_TEMPLATE);
                return;
            }
            if (key.type() == ValueType.CONDITION && config.containsKey(key.name())) {
                if (Templates.isTemplate(config.get(key.name()))) {
                    // stored before conditions refused templates: rendering it would paste data into code
                    cannotRun(state, ErrorCodes.INVALID_CONFIG, key.name() + ": "
                            + DefinitionValidator.CONDITION_TEMPLATE);
                    return;
                }
                if (toRender == config) {
                    toRender = new LinkedHashMap<>(config);
                }
                toRender.remove(key.name());
            }
        }
        try {
            if (Templates.anyTemplate(toRender)) { // the variables are built only where a template reads them
                Map<String, Object> vars = Variables.of(instance.trigger.contact(), instance.trigger, outputs);
                Optional<String> refused = TemplateRules.dataOnly(toRender, vars);
                if (refused.isPresent()) {
                    cannotRun(state, ErrorCodes.INVALID_CONFIG, "could not resolve the step's templates: "
                            + refused.get());
                    return;
                }
                Map<String, Object> resolved = Templates.resolveAll(toRender, vars, now);
                config = toRender == config ? resolved : inOrder(config, resolved);
            }
        } catch (RuntimeException e) {
            cannotRun(state, ErrorCodes.INVALID_CONFIG, "could not resolve the step's templates: " + e.getMessage());
            return;
        }
        state.attempts++;
        state.commandId = instance.id + ":" + step.id() + ":" + state.attempts;
        state.dueAt = now.plus(step.timeout() != null ? step.timeout() : defaultTimeout);
        // the contact travels once, at the top: the trigger inside the command goes without its copy
        ActionCommand command = new ActionCommand(state.commandId, instance.id, step.id(), state.attempts,
                instance.workspaceId, step.action(), config, instance.trigger.contact(),
                instance.trigger.withContact(null), state.dueAt, outputs, instance.test);
        String json = JsonCodec.encode(command);
        int bytes = JsonCodec.utf8Length(json);
        if (bytes > maxCommandBytes) {
            cannotRun(state, ErrorCodes.PAYLOAD_TOO_LARGE, "the step's command would be " + bytes
                    + " bytes, more than the " + maxCommandBytes + " a command may have (contact, trigger data and"
                    + " earlier steps' outputs count)");
            return;
        }
        effects.commands.add(new PendingCommand(spec.category().commandTopic(), command, json));
    }

    /** The config's keys in the definition's order, each rendered where it was, else as written. */
    private static Map<String, Object> inOrder(Map<String, Object> config, Map<String, Object> rendered) {
        Map<String, Object> out = new LinkedHashMap<>();
        config.forEach((key, value) -> out.put(key, rendered.containsKey(key) ? rendered.get(key) : value));
        return out;
    }

    /**
     * A case's condition is evaluated as written, never rendered: it reads the variables itself. One stored before
     * templates were refused in conditions is evaluated as its literal text, as it always was.
     */
    private void decide(DecisionStep step, StepState state) {
        if (step.isSplit()) {
            split(step, state);
            return;
        }
        Map<String, Object> vars = variables();
        String chosen = step.defaultPath();
        ActionError firstError = null;
        for (DecisionStep.Case c : step.cases()) {
            Conditions.Outcome outcome = conditions.evaluate(c.when(), vars);
            if (outcome.failed() && firstError == null) {
                // a case that cannot be evaluated (e.g. a missing property, or past its cost limit) does not hold;
                // the error is kept
                firstError = new ActionError(ErrorCodes.CONDITION_ERROR, c.when() + ": " + outcome.error());
            }
            if (outcome.holds()) {
                chosen = c.path();
                break;
            }
        }
        completeStep(state, chosen, chosen == null ? Map.of() : Map.of("path", chosen), firstError);
    }

    /**
     * A/B routing: the contact's bucket ({@link AbBuckets}) picks the share, recorded like a case's choice ({@code
     * path}) with the {@code bucket} it came from, which tells an A/B choice from a case's.
     */
    private void split(DecisionStep step, StepState state) {
        int bucket = AbBuckets.bucket(instance.workflowId, step.id(), instance.contactId);
        String chosen = AbBuckets.path(step.split(), bucket);
        Map<String, Object> outputs = new LinkedHashMap<>();
        if (chosen != null) {
            outputs.put("path", chosen);
        }
        outputs.put("bucket", bucket);
        completeStep(state, chosen, outputs, null);
    }

    private void schedule(DelayStep step, StepState state) {
        String time;
        try {
            String template = step.duration() != null ? step.duration() : step.until();
            Map<String, Object> vars = variables();
            Optional<String> refused = TemplateRules.dataOnly(template, vars);
            if (refused.isPresent()) {
                cannotRun(state, ErrorCodes.INVALID_CONFIG, "could not resolve the Delay's template: "
                        + refused.get());
                return;
            }
            time = String.valueOf(Templates.resolve(template, vars, now));
        } catch (RuntimeException e) {
            cannotRun(state, ErrorCodes.INVALID_CONFIG, "could not resolve the Delay's template: " + e.getMessage());
            return;
        }
        Instant due;
        try {
            due = step.duration() != null ? now.plus(Duration.parse(time)) : Instant.parse(time);
        } catch (DateTimeException | ArithmeticException e) {
            // DateTimeException covers an unparseable text and a time past Instant.MAX (e.g. PT8784000000000H)
            cannotRun(state, ErrorCodes.INVALID_CONFIG, "Delay has no valid time (" + time + "): " + e.getMessage());
            return;
        }
        if (due.isAfter(now.plus(DefinitionLimits.MAX_DELAY))) {
            cannotRun(state, ErrorCodes.INVALID_CONFIG, "Delay until " + due + " is further than the "
                    + DefinitionLimits.MAX_DELAY.toDays() + " days a Delay may wait");
            return;
        }
        if (!due.isAfter(now)) {
            completeStep(state, OutputPaths.SUCCESS, Map.of("fired_at", now.toString()), null);
        } else {
            state.dueAt = due;
        }
    }

    private void completeStep(StepState state, String path, Map<String, Object> outputs, ActionError error) {
        state.complete(path, outputs, error, now);
        event(WorkflowEvent.Type.StepCompleted, state);
    }

    /**
     * The engine could not run the step at all: the step and the instance fail, the other running steps are
     * cancelled, and the commands this decision dispatched for them (e.g. an earlier branch of the same Split) are
     * withdrawn: they are not sent yet, and a cancelled step must not act.
     */
    private void cannotRun(StepState state, String code, String message) {
        state.status = RunStatus.FAILED;
        state.path = OutputPaths.FAILURE;
        state.error = new ActionError(code, message);
        state.endedAt = now;
        state.dueAt = null;
        state.commandId = null;
        event(WorkflowEvent.Type.StepCompleted, state);
        cancelRunning();
        end(RunStatus.FAILED);
    }

    /** Cancels every running step, withdrawing the commands this decision dispatched for them (not sent yet). */
    private void cancelRunning() {
        for (StepState other : instance.steps.values()) {
            if (other.status == RunStatus.RUNNING) {
                String withdrawn = other.commandId;
                effects.commands.removeIf(c -> c.command().commandId().equals(withdrawn));
                other.status = RunStatus.CANCELLED;
                other.endedAt = now;
                other.dueAt = null;
                other.commandId = null;
            }
        }
    }

    private void end(RunStatus status) {
        instance.status = status;
        instance.endedAt = now;
        event(WorkflowEvent.Type.InstanceEnded, null);
    }

    private Map<String, Object> variables() {
        return Variables.of(instance.trigger.contact(), instance.trigger, instance.outputsByStep());
    }

    private void event(WorkflowEvent.Type type, StepState step) {
        effects.events.add(new WorkflowEvent(UUID.randomUUID().toString(), type, instance.workspaceId, instance.id,
                instance.workflowId, instance.version, instance.contactId, step == null ? null : step.stepId,
                step == null ? null : step.action, step == null ? null : step.path,
                step == null ? null : step.outputs, instance.status.json(), now));
    }
}
