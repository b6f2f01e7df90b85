package io.engageflow.orchestrator.domain.definition;

import io.engageflow.contracts.TriggerTypes;
import io.engageflow.contracts.catalog.ActionCatalog;
import io.engageflow.contracts.catalog.ActionSpec;
import io.engageflow.contracts.catalog.ConfigKey;
import io.engageflow.contracts.catalog.ValueType;
import io.engageflow.contracts.expression.Conditions;
import io.engageflow.contracts.expression.Templates;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a parsed definition against the action catalog: known actions, required and typed config, output paths
 * the action can take, valid conditions, template references to steps that exist, unique step ids, well-formed
 * flow-control steps. Returns every problem found, each with its JSON path.
 *
 * <p>A condition never holds a template: it reads {@code contact}, {@code trigger} and {@code steps} itself; a
 * template renders values only ({@link TemplateRules}).
 *
 * <p>Conditions and templates are held to the limits they run under ({@link Conditions}, {@link Templates}): a
 * condition too long or nested too deep, or a template that includes another or does not compile, is refused here
 * with the reason, rather than failing each instance later.
 */
public final class DefinitionValidator {
    /**
     * A condition is code: a value pasted into it as text would become code too ({@code "{{trigger.data.a}}" ==
     * "blue"} with {@code a = x"=="x"||"a} holds). It reads the variables instead, and is never rendered.
     */
    public static final String CONDITION_TEMPLATE = "a condition cannot hold a template ({{…}}): it reads the"
            + " variables itself, e.g. trigger.data.a == \"blue\" or contact.properties.city == trigger.data.city";
    /** Likewise a query's criteria as text (SOQL): values go in the map form, where they are sent as escaped literals. */
    public static final String CRITERIA_TEMPLATE = "criteria as text cannot hold a template ({{…}}): give values in"
            + " the map form, e.g. {\"Email\": \"{{contact.email}}\"}, where each is sent as an escaped literal";
    private final List<ValidationError> errors = new ArrayList<>();
    private final Set<String> stepIds = new HashSet<>();

    private DefinitionValidator() {
    }

    public static List<ValidationError> validate(WorkflowDefinition def) {
        return new DefinitionValidator().run(def);
    }

    /** Parse and validate in one go: the errors the admin API answers with. */
    public static List<ValidationError> check(DefinitionParser.Parsed parsed) {
        if (parsed.definition() == null) {
            return parsed.errors();
        }
        List<ValidationError> all = new ArrayList<>(parsed.errors());
        all.addAll(validate(parsed.definition()));
        return List.copyOf(all);
    }

    private List<ValidationError> run(WorkflowDefinition def) {
        Set<String> seen = new HashSet<>();
        List<Step> all = def.allSteps();
        if (all.size() > DefinitionLimits.MAX_STEPS) {
            errors.add(new ValidationError("steps", "a workflow has at most " + DefinitionLimits.MAX_STEPS
                    + " steps in all; this one has " + all.size()));
        }
        for (Step s : all) {
            if (!seen.add(s.id())) {
                errors.add(new ValidationError("steps", "duplicate step id " + s.id()));
            }
        }
        stepIds.addAll(seen);
        if (def.triggerType() != null && TriggerTypes.canonical(def.triggerType()).isEmpty()) {
            errors.add(new ValidationError("trigger.type", "unknown trigger type " + def.triggerType()
                    + "; known: " + TriggerTypes.all()));
        }
        if (def.triggerCondition() != null) {
            condition(def.triggerCondition(), "trigger.condition");
        }
        sequence(def.steps(), "steps", 1);
        return List.copyOf(errors);
    }

    private void sequence(List<Step> steps, String path, int depth) {
        if (depth > DefinitionLimits.MAX_DEPTH) {
            errors.add(new ValidationError(path, "steps nest at most " + DefinitionLimits.MAX_DEPTH
                    + " deep in paths and branches"));
            return;
        }
        for (int i = 0; i < steps.size(); i++) {
            step(steps.get(i), path + "[" + i + "]", depth);
        }
    }

    private void step(Step step, String path, int depth) {
        step.match(a -> {
            action(a, path);
            timeout(a, path);
        }, d -> decision(d, path), d -> delay(d, path), s -> split(s, path, depth));
        for (Map.Entry<String, List<Step>> e : step.paths().entrySet()) {
            sequence(e.getValue(), path + ".paths." + e.getKey(), depth + 1);
        }
    }

    private void split(SplitStep s, String path, int depth) {
        if (s.branches().size() > DefinitionLimits.MAX_BRANCHES) {
            errors.add(new ValidationError(path + ".branches", "a Split has at most "
                    + DefinitionLimits.MAX_BRANCHES + " branches"));
        }
        for (int b = 0; b < s.branches().size(); b++) {
            SplitStep.Branch branch = s.branches().get(b);
            String branchPath = path + ".branches[" + b + "]";
            if (branch.conditional()) {
                if (!branch.when().isBlank()) { // a missing or blank one is the parser's error already
                    condition(branch.when(), branchPath + ".when"); // as a Decision's case: never a template
                }
                branchPath += ".steps";
            }
            if (branch.steps().isEmpty()) {
                errors.add(new ValidationError(branchPath, "a branch needs a step"));
            }
            sequence(branch.steps(), branchPath, depth + 1);
        }
    }

    private void timeout(ActionStep a, String path) {
        if (a.timeout() != null && (a.timeout().compareTo(DefinitionLimits.MIN_TIMEOUT) < 0
                || a.timeout().compareTo(DefinitionLimits.MAX_TIMEOUT) > 0)) {
            errors.add(new ValidationError(path + ".timeout", "timeout is between " + DefinitionLimits.MIN_TIMEOUT
                    + " and " + DefinitionLimits.MAX_TIMEOUT));
        }
    }

    private void action(ActionStep step, String path) {
        ActionSpec spec = ActionCatalog.find(step.action()).orElse(null);
        if (spec == null) {
            errors.add(new ValidationError(path + ".action", "unknown action " + step.action()));
            return;
        }
        Map<String, ConfigKey> keys = spec.configByName();
        for (Map.Entry<String, Object> e : step.config().entrySet()) {
            String keyPath = path + ".config." + e.getKey();
            ConfigKey key = keys.get(e.getKey());
            if (key == null) {
                errors.add(new ValidationError(keyPath, step.action() + " has no setting " + e.getKey()
                        + "; its settings are " + keys.keySet()));
                continue;
            }
            if (e.getValue() != null && !key.type().accepts(e.getValue())) {
                errors.add(new ValidationError(keyPath, e.getKey() + " must be " + key.type().name().toLowerCase()));
            }
            if (key.type() == ValueType.CRITERIA && Templates.isTemplate(e.getValue())) {
                errors.add(new ValidationError(keyPath, CRITERIA_TEMPLATE));
                continue;
            }
            if (key.type() == ValueType.CONDITION) {
                if (e.getValue() instanceof String c) {
                    condition(c, keyPath); // a condition is never a template: it is not rendered
                }
                continue;
            }
            templates(e.getValue(), keyPath, step.id());
        }
        for (ConfigKey key : spec.config()) {
            if (key.required() && blank(step.config().get(key.name()))) {
                errors.add(new ValidationError(path + ".config." + key.name(), key.name() + " is required for "
                        + step.action()));
            }
        }
        for (List<String> group : spec.oneOf()) {
            if (group.stream().allMatch(k -> blank(step.config().get(k)))) {
                errors.add(new ValidationError(path + ".config", step.action() + " needs one of " + group));
            }
        }
        for (String p : step.paths().keySet()) {
            if (!spec.hasPath(p)) {
                errors.add(new ValidationError(path + ".paths." + p, step.action() + " never takes path " + p
                        + "; its paths are " + spec.paths()));
            }
        }
    }

    private void decision(DecisionStep d, String path) {
        if (d.isSplit()) {
            split(d, path);
            return;
        }
        if (d.cases().size() > DefinitionLimits.MAX_CASES) {
            errors.add(new ValidationError(path + ".config.cases", "a Decision has at most "
                    + DefinitionLimits.MAX_CASES + " cases"));
        }
        Set<String> reachable = new LinkedHashSet<>();
        for (int i = 0; i < d.cases().size(); i++) {
            condition(d.cases().get(i).when(), path + ".config.cases[" + i + "].when");
            reachable.add(d.cases().get(i).path());
        }
        if (d.defaultPath() != null) {
            reachable.add(d.defaultPath());
        }
        for (String p : d.paths().keySet()) {
            if (!reachable.contains(p)) {
                errors.add(new ValidationError(path + ".paths." + p, "no case or default leads to path " + p
                        + "; reachable: " + reachable));
            }
        }
    }

    /**
     * An A/B split: whole percents from 0 to 100 that add up to exactly 100, over distinct path names; a path with
     * steps must be one of the shares'.
     */
    private void split(DecisionStep d, String path) {
        String at = path + ".config.split";
        if (d.split().size() > DefinitionLimits.MAX_CASES) {
            errors.add(new ValidationError(at, "a split has at most " + DefinitionLimits.MAX_CASES + " paths"));
        }
        Set<String> names = new LinkedHashSet<>();
        long sum = 0;
        boolean complete = true;
        for (int i = 0; i < d.split().size(); i++) {
            DecisionStep.Share share = d.split().get(i);
            if (share.path() != null && !names.add(share.path())) {
                errors.add(new ValidationError(at + "[" + i + "].path", "path " + share.path()
                        + " is in the split twice; each path has one share"));
            }
            if (share.percent() == null) {
                complete = false; // reported by the parser
            } else if (share.percent() < 0 || share.percent() > 100) {
                errors.add(new ValidationError(at + "[" + i + "].percent", "percent is a whole number from 0 to 100"));
                complete = false;
            } else {
                sum += share.percent();
            }
        }
        if (complete && !d.split().isEmpty() && sum != 100) {
            errors.add(new ValidationError(at, "the split's percents add up to " + sum + "; they must add up to 100"));
        }
        for (String p : d.paths().keySet()) {
            if (!names.contains(p)) {
                errors.add(new ValidationError(path + ".paths." + p, "no share of the split leads to path " + p
                        + "; its paths: " + names));
            }
        }
    }

    private void delay(DelayStep d, String path) {
        if ((d.duration() == null) == (d.until() == null)) {
            errors.add(new ValidationError(path + ".config", "a Delay has either duration or until"));
            return;
        }
        if (d.duration() != null && Templates.isTemplate(d.duration())) {
            templates(d.duration(), path + ".config.duration", d.id());
        } else if (d.duration() != null) {
            try {
                Duration duration = Duration.parse(d.duration());
                if (duration.isNegative()) {
                    errors.add(new ValidationError(path + ".config.duration", "duration must not be negative"));
                } else if (duration.compareTo(DefinitionLimits.MAX_DELAY) > 0) {
                    errors.add(new ValidationError(path + ".config.duration", "a Delay waits at most "
                            + DefinitionLimits.MAX_DELAY.toDays() + " days (P" + DefinitionLimits.MAX_DELAY.toDays()
                            + "D)"));
                }
            } catch (DateTimeParseException | ArithmeticException e) {
                errors.add(new ValidationError(path + ".config.duration",
                        "duration is an ISO-8601 duration such as PT24H, at most P"
                                + DefinitionLimits.MAX_DELAY.toDays() + "D"));
            }
        }
        if (d.until() != null) {
            if (Templates.isTemplate(d.until())) {
                templates(d.until(), path + ".config.until", d.id());
            } else {
                try {
                    Instant.parse(d.until());
                } catch (DateTimeParseException e) {
                    errors.add(new ValidationError(path + ".config.until",
                            "until is an ISO-8601 instant such as 2026-12-24T18:00:00Z, or a template"));
                }
            }
        }
    }

    private void condition(String expression, String path) {
        if (Templates.isTemplate(expression)) {
            errors.add(new ValidationError(path, CONDITION_TEMPLATE));
            return;
        }
        Conditions.check(expression).ifPresent(m -> errors.add(new ValidationError(path, "invalid condition: " + m)));
    }

    private void templates(Object value, String path, String ownStep) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> templates(v, path + "." + k, ownStep));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                templates(list.get(i), path + "[" + i + "]", ownStep);
            }
        } else if (value instanceof String s) {
            Templates.check(s).or(() -> TemplateRules.syntax(s))
                    .ifPresent(m -> errors.add(new ValidationError(path, "invalid template: " + m)));
            for (String ref : Templates.references(s)) {
                String[] parts = ref.split("\\.");
                if (parts.length == 0) {
                    continue; // {{.}}, the current value of a section (and dots alone, refused by the syntax)
                }
                if (!Conditions.VARIABLES.contains(parts[0])) {
                    errors.add(new ValidationError(path, "{{" + ref + "}} names nothing; templates start with "
                            + Conditions.VARIABLES));
                } else if (parts[0].equals("steps") && (parts.length < 2 || !stepIds.contains(parts[1]))) {
                    errors.add(new ValidationError(path, "{{" + ref + "}} refers to a step that does not exist"));
                } else if (parts[0].equals("steps") && parts[1].equals(ownStep)) {
                    errors.add(new ValidationError(path, "{{" + ref + "}}: a step cannot use its own outputs"));
                }
            }
        }
    }

    private static boolean blank(Object v) {
        return v == null || (v instanceof String s && s.isBlank());
    }
}
