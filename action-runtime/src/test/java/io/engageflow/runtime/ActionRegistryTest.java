package io.engageflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ActionCatalog;
import io.engageflow.contracts.catalog.ActionSpec;
import io.engageflow.contracts.catalog.Category;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.ActionRegistry;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionRegistryTest {
    private static ActionHandler handler(String name) {
        return new ActionHandler() {
            @Override
            public String action() {
                return name;
            }

            @Override
            public Uni<ActionOutcome> execute(ActionCommand command) {
                return Uni.createFrom().item(ActionOutcome.success());
            }
        };
    }

    private static List<ActionHandler> allOf(Category category) {
        List<ActionHandler> all = new ArrayList<>();
        ActionCatalog.ofCategory(category).stream().map(ActionSpec::name).forEach(n -> all.add(handler(n)));
        return all;
    }

    @Test
    void aCompleteSetOfHandlersIsAccepted() {
        ActionRegistry registry = new ActionRegistry(allOf(Category.CONTACT), Category.CONTACT);
        assertThat(registry.find("ContactFilter")).isPresent();
        assertThat(registry.find("LoyaltyAwardPoints")).isEmpty();
    }

    @Test
    void aMissingDuplicateForeignOrUnknownHandlerRefusesToStart() {
        List<ActionHandler> missing = allOf(Category.CONTACT);
        missing.remove(0);
        assertThatThrownBy(() -> new ActionRegistry(missing, Category.CONTACT))
                .hasMessageContaining("no handler for ContactUpdate");
        List<ActionHandler> twice = allOf(Category.CONTACT);
        twice.add(handler("ContactFilter"));
        assertThatThrownBy(() -> new ActionRegistry(twice, Category.CONTACT))
                .hasMessageContaining("two handlers for ContactFilter");
        List<ActionHandler> foreign = allOf(Category.CONTACT);
        foreign.add(handler("LoyaltyAwardPoints"));
        assertThatThrownBy(() -> new ActionRegistry(foreign, Category.CONTACT))
                .hasMessageContaining("an action of REWARD");
        List<ActionHandler> unknown = allOf(Category.CONTACT);
        unknown.add(handler("Teleport"));
        assertThatThrownBy(() -> new ActionRegistry(unknown, Category.CONTACT))
                .hasMessageContaining("not in the action catalog");
    }
}
