package io.engageflow.runtime.actions;

import io.engageflow.contracts.catalog.ActionCatalog;
import io.engageflow.contracts.catalog.ActionSpec;
import io.engageflow.contracts.catalog.Category;
import io.quarkus.arc.All;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The handlers of this service by action name. Refuses to start when two handlers claim one action, a handler
 * names an action the catalog does not have or belongs to another service, or an action of this service's category
 * has no handler: a gap is found at deploy time, not when a workflow first reaches it.
 */
@ApplicationScoped
@Startup // built eagerly: a client proxy alone would run these checks only when the first command arrives
public class ActionRegistry {
    private final Map<String, ActionHandler> handlers = new LinkedHashMap<>();
    private final Category category;

    public ActionRegistry(@All List<ActionHandler> all,
                          @ConfigProperty(name = "engageflow.actions.category") Category category) {
        this.category = category;
        List<String> problems = new ArrayList<>();
        for (ActionHandler h : all) {
            ActionHandler previous = handlers.put(h.action(), h);
            if (previous != null) {
                problems.add("two handlers for " + h.action() + ": " + name(previous) + " and " + name(h));
            }
            Optional<ActionSpec> spec = ActionCatalog.find(h.action());
            if (spec.isEmpty()) {
                problems.add(name(h) + " handles " + h.action() + ", which is not in the action catalog");
            } else if (spec.get().category() != category) {
                problems.add(name(h) + " handles " + h.action() + ", an action of " + spec.get().category());
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

    public Optional<ActionHandler> find(String action) {
        return Optional.ofNullable(handlers.get(action));
    }

    public Category category() {
        return category;
    }

    private static String name(ActionHandler h) {
        return h.getClass().getSimpleName().replace("_Subclass", "").replace("_ClientProxy", "");
    }
}
