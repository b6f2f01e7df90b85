package io.engageflow.runtime.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ActionCatalog;
import io.engageflow.contracts.catalog.ActionSpec;
import io.engageflow.contracts.catalog.Category;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.runtime.config.PipelineSettings;
import io.quarkus.arc.All;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The handlers of this service by action name (a handler may serve several: {@link ActionHandler#actions()}), and
 * the reading of each typed handler's config. Refuses to start when two handlers claim one action, a handler names
 * an action the catalog does not have or belongs to another service, an action of this service's category has no
 * handler, or a config record does not match the catalog: a gap is found at deploy time, not when a workflow first
 * reaches it.
 */
@ApplicationScoped
@Startup // built eagerly: a client proxy alone would run these checks only when the first command arrives
public class ActionRegistry {
    private final Map<String, ActionHandler> handlers = new LinkedHashMap<>();
    private final Map<String, ActionConfig<?>> configs = new LinkedHashMap<>();
    private final Category category;

    @Inject
    public ActionRegistry(@All List<ActionHandler> all, PipelineSettings config) {
        this(all, config.category());
    }

    public ActionRegistry(List<ActionHandler> all, Category category) {
        this.category = category;
        List<String> problems = new ArrayList<>();
        for (ActionHandler h : all) {
            Set<String> actions;
            try {
                actions = h.actions();
            } catch (IllegalStateException e) {
                problems.add(name(h) + " " + e.getMessage());
                continue;
            }
            for (String action : actions) {
                register(h, action, problems);
            }
            if (h instanceof TypedConfig<?> typed) {
                for (String action : actions) {
                    try {
                        configs.put(action, ActionConfig.of(typed.configType(action), ActionConfig.specs(actions)));
                    } catch (IllegalArgumentException e) {
                        problems.add(name(h) + " reads the config of " + action + " as " + e.getMessage());
                    }
                }
            }
        }
        for (ActionSpec spec : ActionCatalog.ofCategory(category)) {
            if (!handlers.containsKey(spec.name())) {
                problems.add("no handler for " + spec.name());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("action registry of " + category + " is inconsistent: " + problems);
        }
    }

    private void register(ActionHandler h, String action, List<String> problems) {
        ActionHandler previous = handlers.put(action, h);
        if (previous != null) {
            problems.add("two handlers for " + action + ": " + name(previous) + " and " + name(h));
        }
        Optional<ActionSpec> spec = ActionCatalog.find(action);
        if (spec.isEmpty()) {
            problems.add(name(h) + " handles " + action + ", which is not in the action catalog");
        } else if (spec.get().category() != category) {
            problems.add(name(h) + " handles " + action + ", an action of " + spec.get().category());
        }
    }

    public Optional<ActionHandler> find(String action) {
        return Optional.ofNullable(handlers.get(action));
    }

    /**
     * The command's config as the record its handler reads ({@link TypedConfig}), or the reasons it does not read as
     * one; for a handler that reads {@code command.config()} itself, null.
     */
    public Decoded<?> decode(ActionCommand command) {
        ActionConfig<?> config = configs.get(command.action());
        return config == null ? Decoded.ok(null) : config.decode(command.config());
    }

    public Category category() {
        return category;
    }

    private static String name(ActionHandler h) {
        return h.getClass().getSimpleName().replace("_Subclass", "").replace("_ClientProxy", "");
    }
}
