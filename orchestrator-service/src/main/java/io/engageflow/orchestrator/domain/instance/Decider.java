package io.engageflow.orchestrator.domain.instance;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionError;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.WorkflowEvent;
import io.engageflow.contracts.catalog.ActionCatalog;
import io.engageflow.contracts.catalog.ActionSpec;
import io.engageflow.contracts.catalog.OutputPaths;
import io.engageflow.contracts.expression.Conditions;
import io.engageflow.contracts.expression.Templates;
import io.engageflow.contracts.expression.Variables;
import io.engageflow.orchestrator.domain.definition.ActionStep;
import io.engageflow.orchestrator.domain.definition.DecisionStep;
import io.engageflow.orchestrator.domain.definition.DelayStep;
import io.engageflow.orchestrator.domain.definition.SplitStep;
import io.engageflow.orchestrator.domain.definition.Step;
import io.engageflow.orchestrator.domain.definition.WorkflowDefinition;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
    private final WorkflowDefinition definition;
    private final InstanceState instance;
    private final Instant now;
    private final Duration defaultTimeout;
    private final Effects effects = new Effects();

    private Decider(WorkflowDefinition definition, InstanceState instance, Instant now, Duration defaultTimeout) {
        this.definition = definition;
        this.instance = instance;
        this.now = now;
        this.defaultTimeout = defaultTimeout;
    }

    /** Starts a new instance: publishes InstanceStarted and runs until the first steps that must wait. */
    public static Effects start(WorkflowDefinition def, InstanceState instance, Instant now, Duration timeout) {
        Decider d = new Decider(def, instance, now, timeout);
        d.event(WorkflowEvent.Type.InstanceStarted, null);
        d.advance();
        return d.effects;
    }

    /** Applies an action result. A result for an unknown, finished or superseded command changes nothing. */
    public static Effects onResult(WorkflowDefinition def, InstanceState instance, ActionResult result, Instant now,
                                   Duration timeout) {
        if (instance.status.terminal()) {
            return Effects.ignored("instance is " + instance.status.json());
        }
        StepState step = instance.steps.get(result.stepId());
        if (step == null) {
            return Effects.ignored("no step " + result.stepId() + " was started");
        }
        if (step.status.terminal()) {
            return Effects.ignored("step " + result.stepId() + " already finished");
        }
        if (step.commandId == null || !step.commandId.equals(result.commandId())) {
            return Effects.ignored("result is for command " + result.commandId() + ", not " + step.commandId);
        }
        Decider d = new Decider(def, instance, now, timeout);
        String path = result.path() == null ? OutputPaths.FAILURE : result.path();
        d.completeStep(step, path, result.outputs(), result.error());
        d.advance();
        return d.effects;
    }

    /** Fires what is due: Delays whose time has come, and action steps past their deadline (Failure, Timeout). */
    public static Effects onClock(WorkflowDefinition def, InstanceState instance, Instant now, Duration timeout) {
        if (instance.status.terminal()) {
            return Effects.ignored("instance is " + instance.status.json());
        }
        Decider d = new Decider(def, instance, now, timeout);
        boolean fired = false;
        for (StepState step : List.copyOf(instance.steps.values())) {
            if (step.status != StepStatus.RUNNING || step.dueAt == null || step.dueAt.isAfter(now)) {
                continue;
            }
            fired = true;
            if (Step.FLOW_DELAY.equals(step.action)) {
                d.completeStep(step, OutputPaths.SUCCESS, Map.of("fired_at", now.toString()), null);
            } else {
                d.completeStep(step, OutputPaths.FAILURE, Map.of(), new ActionError(ErrorCodes.TIMEOUT,
                        "no result within the step's deadline " + step.dueAt));
                step.commandId = null; // a late result is stale from now on
            }
        }
        if (!fired) {
            return Effects.ignored("nothing due");
        }
        d.advance();
        return d.effects;
    }

    public static Effects cancel(InstanceState instance, Instant now) {
        if (instance.status.terminal()) {
            return Effects.ignored("instance is already " + instance.status.json());
        }
        Decider d = new Decider(null, instance, now, Duration.ZERO);
        for (StepState step : instance.steps.values()) {
            if (step.status == StepStatus.RUNNING) {
                step.status = StepStatus.CANCELLED;
                step.endedAt = now;
                step.dueAt = null;
                step.commandId = null;
            }
        }
        d.end(InstanceStatus.CANCELLED);
        return d.effects;
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
            end(InstanceStatus.COMPLETED);
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
            if (state.status == StepStatus.RUNNING && step instanceof SplitStep split) {
                boolean all = true;
                for (List<Step> branch : split.branches()) {
                    all &= sequence(branch);
                }
                if (instance.status.terminal()) {
                    return false;
                }
                if (all) {
                    completeStep(state, OutputPaths.SUCCESS, Map.of(), null);
                }
            }
            if (state.status == StepStatus.RUNNING) {
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
        instance.steps.put(step.id(), state);
        if (step instanceof ActionStep a) {
            dispatch(a, state);
        } else if (step instanceof DecisionStep d) {
            decide(d, state);
        } else if (step instanceof DelayStep d) {
            schedule(d, state);
        }
        // a Split stays running until its branches finish
        return state;
    }

    private void dispatch(ActionStep step, StepState state) {
        ActionSpec spec = ActionCatalog.find(step.action()).orElse(null);
        if (spec == null) {
            cannotRun(state, ErrorCodes.UNKNOWN_ACTION, "unknown action " + step.action());
            return;
        }
        Map<String, Map<String, Object>> outputs = instance.outputsByStep();
        Map<String, Object> config;
        try {
            config = Templates.resolveAll(step.config(), Variables.of(instance.trigger.contact(), instance.trigger,
                    outputs));
        } catch (RuntimeException e) {
            cannotRun(state, ErrorCodes.INVALID_CONFIG, "could not resolve the step's templates: " + e.getMessage());
            return;
        }
        state.attempts++;
        state.commandId = instance.id + ":" + step.id() + ":" + state.attempts;
        state.dueAt = now.plus(step.timeout() != null ? step.timeout() : defaultTimeout);
        ActionCommand command = new ActionCommand(state.commandId, instance.id, step.id(), state.attempts,
                instance.workspaceId, step.action(), config, instance.trigger.contact(), instance.trigger,
                state.dueAt, outputs);
        effects.commands.add(new PendingCommand(spec.category().commandTopic(), command));
    }

    private void decide(DecisionStep step, StepState state) {
        Map<String, Object> vars = variables();
        String chosen = step.defaultPath();
        ActionError firstError = null;
        for (DecisionStep.Case c : step.cases()) {
            Conditions.Outcome outcome = Conditions.evaluate(c.when(), vars);
            if (outcome.failed() && firstError == null) {
                // a case that cannot be evaluated (e.g. a missing property) does not hold; the error is kept
                firstError = new ActionError(ErrorCodes.CONDITION_ERROR, c.when() + ": " + outcome.error());
            }
            if (outcome.holds()) {
                chosen = c.path();
                break;
            }
        }
        completeStep(state, chosen, chosen == null ? Map.of() : Map.of("path", chosen), firstError);
    }

    private void schedule(DelayStep step, StepState state) {
        String time;
        try {
            time = String.valueOf(Templates.resolve(step.duration() != null ? step.duration() : step.until(),
                    variables()));
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
        state.status = StepStatus.FAILED;
        state.path = OutputPaths.FAILURE;
        state.error = new ActionError(code, message);
        state.endedAt = now;
        event(WorkflowEvent.Type.StepCompleted, state);
        for (StepState other : instance.steps.values()) {
            if (other.status == StepStatus.RUNNING) {
                String withdrawn = other.commandId;
                effects.commands.removeIf(c -> c.command().commandId().equals(withdrawn));
                other.status = StepStatus.CANCELLED;
                other.endedAt = now;
                other.dueAt = null;
                other.commandId = null;
            }
        }
        end(InstanceStatus.FAILED);
    }

    private void end(InstanceStatus status) {
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
