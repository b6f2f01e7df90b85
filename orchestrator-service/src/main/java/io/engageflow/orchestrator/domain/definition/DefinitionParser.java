package io.engageflow.orchestrator.domain.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.engageflow.contracts.json.JsonCodec;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a definition's JSON into {@link WorkflowDefinition}, reporting structural problems with their JSON path.
 * Steps without an {@code id} get a generated one ({@code step-1}, {@code step-2}, … depth first), written into the
 * returned normalized JSON so the stored definition shows the ids instances and templates use.
 */
public final class DefinitionParser {
    private static final Set<String> STEP_FIELDS = Set.of("id", "name", "action", "config", "paths", "branches",
            "timeout");
    private static final Set<String> BRANCH_FIELDS = Set.of("when", "steps");
    private static final Set<String> SHARE_FIELDS = Set.of("path", "percent");

    public record Parsed(WorkflowDefinition definition, JsonNode normalized, List<ValidationError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private final List<ValidationError> errors = new ArrayList<>();
    private final Set<String> usedIds = new HashSet<>();
    private int generated;

    private DefinitionParser() {
    }

    public static Parsed parse(String json) {
        if (json != null && JsonCodec.utf8Length(json) > DefinitionLimits.MAX_BYTES) {
            return new Parsed(null, null, List.of(new ValidationError("$", "a definition is at most "
                    + DefinitionLimits.MAX_BYTES + " bytes of JSON")));
        }
        var tree = JsonCodec.parse(json);
        if (!tree.isOk()) {
            return new Parsed(null, null, List.of(new ValidationError("$", tree.errors().get(0))));
        }
        return parse(tree.value());
    }

    public static Parsed parse(JsonNode root) {
        return new DefinitionParser().run(root);
    }

    private Parsed run(JsonNode original) {
        if (original == null || !original.isObject()) {
            return new Parsed(null, null, List.of(new ValidationError("$", "a definition is a JSON object")));
        }
        ObjectNode root = original.deepCopy();
        collectIds(root.path("steps"));
        String name = text(root, "name", "name", true);
        JsonNode trigger = root.path("trigger");
        String triggerType = null;
        String condition = null;
        if (!trigger.isObject()) {
            errors.add(new ValidationError("trigger", "trigger is required: {\"type\": …, \"condition\": …}"));
        } else {
            triggerType = text(trigger, "type", "trigger.type", true);
            condition = text(trigger, "condition", "trigger.condition", false);
        }
        WorkflowDefinition.Reentry reentry = WorkflowDefinition.Reentry.ANYTIME;
        if (root.hasNonNull("reentry")) {
            reentry = WorkflowDefinition.Reentry.of(root.get("reentry").asText()).orElse(null);
            if (reentry == null) {
                errors.add(new ValidationError("reentry", "reentry is one of anytime, once, whileNotRunning"));
            }
        }
        List<Step> steps = sequence(root.get("steps"), "steps");
        if (steps.isEmpty() && errors.stream().noneMatch(e -> e.path().startsWith("steps"))) {
            errors.add(new ValidationError("steps", "a workflow needs at least one step"));
        }
        return new Parsed(new WorkflowDefinition(name, triggerType, condition, reentry, steps), root,
                List.copyOf(errors));
    }

    private void collectIds(JsonNode sequence) {
        if (!sequence.isArray()) {
            return;
        }
        for (JsonNode step : sequence) {
            if (step.hasNonNull("id") && step.get("id").isTextual()) {
                usedIds.add(step.get("id").asText());
            }
            step.path("paths").forEach(this::collectIds);
            // a branch is a list of steps, or {"when": …, "steps": [...]}
            step.path("branches").forEach(branch -> collectIds(branch.isObject() ? branch.path("steps") : branch));
        }
    }

    private List<Step> sequence(JsonNode node, String path) {
        List<Step> steps = new ArrayList<>();
        if (node == null || node.isNull()) {
            errors.add(new ValidationError(path, "a list of steps is required"));
            return steps;
        }
        if (!node.isArray()) {
            errors.add(new ValidationError(path, "must be a list of steps"));
            return steps;
        }
        for (int i = 0; i < node.size(); i++) {
            Step s = step(node.get(i), path + "[" + i + "]");
            if (s != null) {
                steps.add(s);
            }
        }
        return steps;
    }

    private Step step(JsonNode node, String path) {
        if (!node.isObject()) {
            errors.add(new ValidationError(path, "a step is a JSON object"));
            return null;
        }
        ObjectNode obj = (ObjectNode) node;
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!STEP_FIELDS.contains(field)) {
                errors.add(new ValidationError(path + "." + field, "unknown step field; a step has " + STEP_FIELDS));
            }
        }
        String id = obj.hasNonNull("id") ? text(obj, "id", path + ".id", true) : generateId(obj);
        if (id != null && id.length() > DefinitionLimits.MAX_STEP_ID_CHARS) {
            // a command's id is instance id + step id + attempt, and must fit the action services' claim column
            errors.add(new ValidationError(path + ".id", "a step id has at most " + DefinitionLimits.MAX_STEP_ID_CHARS
                    + " characters"));
        }
        String name = text(obj, "name", path + ".name", false);
        String action = text(obj, "action", path + ".action", true);
        if (action == null) {
            return null;
        }
        Map<String, Object> config = config(obj, path);
        Map<String, List<Step>> paths = paths(obj.get("paths"), path + ".paths");
        return switch (action) {
            case Step.FLOW_SPLIT -> new SplitStep(id, name, branches(obj.get("branches"), path + ".branches"));
            case Step.FLOW_DECISION -> decision(id, name, config, paths, path);
            case Step.FLOW_DELAY -> new DelayStep(id, name, string(config.get("duration")),
                    string(config.get("until")));
            default -> new ActionStep(id, name, action, config, paths, timeout(obj, path));
        };
    }

    private String generateId(ObjectNode obj) {
        String id;
        do {
            id = "step-" + (++generated);
        } while (usedIds.contains(id));
        usedIds.add(id);
        obj.put("id", id);
        return id;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> config(ObjectNode obj, String path) {
        JsonNode config = obj.get("config");
        if (config == null || config.isNull()) {
            return Map.of();
        }
        if (!config.isObject()) {
            errors.add(new ValidationError(path + ".config", "config is a JSON object"));
            return Map.of();
        }
        return JsonCodec.mapper().convertValue(config, LinkedHashMap.class);
    }

    private Map<String, List<Step>> paths(JsonNode node, String path) {
        Map<String, List<Step>> paths = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return paths;
        }
        if (!node.isObject()) {
            errors.add(new ValidationError(path, "paths maps an output path name to a list of steps"));
            return paths;
        }
        node.fields().forEachRemaining(e -> paths.put(e.getKey(), sequence(e.getValue(), path + "." + e.getKey())));
        return paths;
    }

    private List<SplitStep.Branch> branches(JsonNode node, String path) {
        List<SplitStep.Branch> branches = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            errors.add(new ValidationError(path, "a Split needs \"branches\": a non-empty list of step lists"));
            return branches;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode branch = node.get(i);
            String at = path + "[" + i + "]";
            if (branch.isObject()) {
                branches.add(conditionalBranch(branch, at));
            } else {
                branches.add(SplitStep.Branch.always(sequence(branch, at)));
            }
        }
        return branches;
    }

    /** {@code {"when": condition, "steps": [...]}}: a branch that runs only if its condition holds. */
    private SplitStep.Branch conditionalBranch(JsonNode branch, String path) {
        for (Iterator<String> it = branch.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!BRANCH_FIELDS.contains(field)) {
                errors.add(new ValidationError(path + "." + field, "unknown branch field; a branch is a list of steps"
                        + " or {\"when\": condition, \"steps\": [...]}"));
            }
        }
        String when = text(branch, "when", path + ".when", true);
        return new SplitStep.Branch(when == null ? "" : when, sequence(branch.get("steps"), path + ".steps"));
    }

    private DecisionStep decision(String id, String name, Map<String, Object> config, Map<String, List<Step>> paths,
                                  String path) {
        if (config.containsKey("split")) {
            if (config.containsKey("cases")) {
                errors.add(new ValidationError(path + ".config", "a Decision routes by cases or by split, not both"));
            }
            if (config.containsKey("default")) {
                errors.add(new ValidationError(path + ".config.default", "a split sends every contact down one of"
                        + " its paths: it has no default"));
            }
            return new DecisionStep(id, name, List.of(), null, shares(config.get("split"), path + ".config.split"),
                    paths);
        }
        List<DecisionStep.Case> cases = new ArrayList<>();
        Object raw = config.get("cases");
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            errors.add(new ValidationError(path + ".config.cases",
                    "a Decision needs cases: [{\"when\": condition, \"path\": name}], or split: [{\"path\": name,"
                            + " \"percent\": n}]"));
        } else {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof Map<?, ?> c && c.get("when") instanceof String when
                        && c.get("path") instanceof String p && !p.isBlank()) {
                    cases.add(new DecisionStep.Case(when, p));
                } else {
                    errors.add(new ValidationError(path + ".config.cases[" + i + "]",
                            "a case is {\"when\": condition, \"path\": name}"));
                }
            }
        }
        return new DecisionStep(id, name, cases, string(config.get("default")), List.of(), paths);
    }

    /**
     * An A/B split's shares, {@code [{"path": name, "percent": n}]}; a share whose path or percent is not usable keeps
     * a null there (reported here), so that the validator checks the rest without repeating the error.
     */
    private List<DecisionStep.Share> shares(Object raw, String path) {
        List<DecisionStep.Share> shares = new ArrayList<>();
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            errors.add(new ValidationError(path, "split is a non-empty list of {\"path\": name, \"percent\": n}"));
            return shares;
        }
        for (int i = 0; i < list.size(); i++) {
            String at = path + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> share)) {
                errors.add(new ValidationError(at, "a share is {\"path\": name, \"percent\": n}"));
                shares.add(new DecisionStep.Share(null, null));
                continue;
            }
            for (Object key : share.keySet()) {
                if (!SHARE_FIELDS.contains(String.valueOf(key))) {
                    errors.add(new ValidationError(at + "." + key, "unknown share field; a share is {\"path\": name,"
                            + " \"percent\": n}"));
                }
            }
            String name = share.get("path") instanceof String p && !p.isBlank() ? p : null;
            if (name == null) {
                errors.add(new ValidationError(at + ".path", "path must be a non-empty string"));
            }
            // Jackson reads a JSON integer as Integer or Long, a fraction as Double: only whole numbers count
            Integer percent = share.get("percent") instanceof Number n && (n instanceof Integer || n instanceof Long)
                    && n.longValue() >= Integer.MIN_VALUE && n.longValue() <= Integer.MAX_VALUE ? n.intValue() : null;
            if (percent == null) {
                errors.add(new ValidationError(at + ".percent", "percent must be a whole number from 0 to 100"));
            }
            shares.add(new DecisionStep.Share(name, percent));
        }
        return shares;
    }

    private Duration timeout(ObjectNode obj, String path) {
        if (!obj.hasNonNull("timeout")) {
            return null;
        }
        try {
            Duration d = Duration.parse(obj.get("timeout").asText());
            if (d.isNegative() || d.isZero()) {
                errors.add(new ValidationError(path + ".timeout", "timeout must be positive"));
                return null;
            }
            return d;
        } catch (DateTimeParseException e) {
            errors.add(new ValidationError(path + ".timeout", "timeout is an ISO-8601 duration such as PT30S"));
            return null;
        }
    }

    private String text(JsonNode node, String field, String path, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(new ValidationError(path, field + " is required"));
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            errors.add(new ValidationError(path, field + " must be a non-empty string"));
            return null;
        }
        return v.asText();
    }

    private static String string(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
