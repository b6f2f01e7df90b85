package io.engageflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.catalog.ActionCatalog;
import io.engageflow.contracts.catalog.ActionSpec;
import io.engageflow.contracts.catalog.Category;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.ActionRegistry;
import io.engageflow.runtime.actions.LocalAction;
import io.engageflow.runtime.actions.OutsideAction;
import io.engageflow.runtime.actions.TypedLocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** A family serving both list actions, reading their config as this record. */
    record ListName(String list) {
    }

    private static TypedLocalAction<Record> family(Class<? extends Record> config, String... actions) {
        return new TypedLocalAction<>() {
            @Override
            public Set<String> actions() {
                return Set.of(actions);
            }

            @Override
            public Class<? extends Record> configType(String action) {
                return config;
            }

            @Override
            public Uni<ActionOutcome> execute(ActionCommand command, Record config, SqlConnection tx) {
                return Uni.createFrom().item(ActionOutcome.success());
            }
        };
    }

    private static List<ActionHandler> withListFamily(Class<? extends Record> config) {
        List<ActionHandler> all = new ArrayList<>(allOf(Category.CONTACT).stream()
                .filter(h -> !h.action().endsWith("List")).toList());
        all.add(family(config, "ContactAddToList", "ContactRemoveFromList"));
        return all;
    }

    @Test
    void oneHandlerServesEachActionOfItsFamilyAndItsConfigIsDecodedFromTheCatalog() {
        ActionRegistry registry = new ActionRegistry(withListFamily(ListName.class), Category.CONTACT);
        assertThat(registry.find("ContactAddToList")).isPresent().get()
                .isSameAs(registry.find("ContactRemoveFromList").orElseThrow());
        Decoded<?> decoded = registry.decode(new ActionCommand("c1", "i1", "s1", 1, "ws", "ContactRemoveFromList",
                Map.of("list", "vip"), ContactSnapshot.ofId("c-1"), null, null, null));
        assertThat(decoded.value()).isEqualTo(new ListName("vip"));
        // a handler reading command.config() itself has nothing decoded for it
        assertThat(registry.decode(new ActionCommand("c2", "i1", "s1", 1, "ws", "ContactFilter",
                Map.of("condition", "true"), ContactSnapshot.ofId("c-1"), null, null, null)).value()).isNull();
    }

    /** A record the catalog does not declare: a key it has not, or a type its key does not read as. */
    record Misnamed(String listName) {
    }

    record Mistyped(java.math.BigDecimal list) {
    }

    @Test
    void aFamilyOverlappingAHandlerOrReadingAConfigTheCatalogDoesNotDeclareRefusesToStart() {
        List<ActionHandler> overlap = withListFamily(ListName.class);
        overlap.add(local("ContactAddToList"));
        assertThatThrownBy(() -> new ActionRegistry(overlap, Category.CONTACT))
                .hasMessageContaining("two handlers for ContactAddToList");
        assertThatThrownBy(() -> new ActionRegistry(withListFamily(Misnamed.class), Category.CONTACT))
                .hasMessageContaining("Misnamed.listName is no config key of [ContactAddToList, ContactRemoveFromList]");
        assertThatThrownBy(() -> new ActionRegistry(withListFamily(Mistyped.class), Category.CONTACT))
                .hasMessageContaining("Mistyped.list does not read the catalog's STRING");
        List<ActionHandler> nameless = allOf(Category.CONTACT);
        nameless.add(new LocalAction() {
            @Override
            public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
                return Uni.createFrom().item(ActionOutcome.success());
            }
        });
        assertThatThrownBy(() -> new ActionRegistry(nameless, Category.CONTACT))
                .hasMessageContaining("names neither its action nor its actions");
    }
}
