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
import io.engageflow.runtime.actions.LocalAction;
import io.engageflow.runtime.actions.OutsideAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionRegistryTest {
    private static LocalAction local(String name) {
        return new LocalAction() {
            @Override
            public String action() {
                return name;
            }

            @Override
            public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
                return Uni.createFrom().item(ActionOutcome.success());
            }
        };
    }

    private static OutsideAction outside(String name) {
        return new OutsideAction() {
            @Override
            public String action() {
                return name;
            }

            @Override
            public Uni<ActionOutcome> call(ActionCommand command) {
                return Uni.createFrom().item(ActionOutcome.success());
            }
        };
    }

    private static List<ActionHandler> allOf(Category category) {
        // both kinds, alternately: the registry's checks hold over either
        List<ActionHandler> all = new ArrayList<>();
        List<String> names = ActionCatalog.ofCategory(category).stream().map(ActionSpec::name).toList();
        for (int i = 0; i < names.size(); i++) {
            all.add(i % 2 == 0 ? local(names.get(i)) : outside(names.get(i)));
        }
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
        twice.add(outside("ContactFilter")); // one of each kind for one action is still two
        twice.add(local("ContactFilter"));
        assertThatThrownBy(() -> new ActionRegistry(twice, Category.CONTACT))
                .hasMessageContaining("two handlers for ContactFilter");
        List<ActionHandler> foreign = allOf(Category.CONTACT);
        foreign.add(local("LoyaltyAwardPoints"));
        assertThatThrownBy(() -> new ActionRegistry(foreign, Category.CONTACT))
                .hasMessageContaining("an action of REWARD");
        List<ActionHandler> unknown = allOf(Category.CONTACT);
        unknown.add(outside("Teleport"));
        assertThatThrownBy(() -> new ActionRegistry(unknown, Category.CONTACT))
                .hasMessageContaining("not in the action catalog");
    }
}
