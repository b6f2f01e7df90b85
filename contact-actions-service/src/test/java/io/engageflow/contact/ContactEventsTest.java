package io.engageflow.contact;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.Causation;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.testsupport.PlatformEventReader;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.assertj.core.groups.Tuple;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The platform events of contact actions (CONTRACT.md, "Platform events"), read from {@code triggers.inbound} as
 * trigger-service reads them. That nothing more was published is proven with a marker: a later command for the same
 * contact that does fire an event. Events of one contact share its key, so one partition, and are published after
 * their commit in commit order: once the marker's event is there, any wrongful event before it would be too.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_contact_test"))
@QuarkusTestResource(ContactPeers.class)
class ContactEventsTest extends ContactCommands {
    private final PlatformEventReader published = new PlatformEventReader(driver.kafka());

    @AfterEach
    void close() {
        published.close();
    }

    private static ContactSnapshot contact(String id) {
        return new ContactSnapshot(id, id + "@example.com", null, "Ann", null, Map.of("city", "Oslo", "score", 5));
    }

    @Test
    void addingToAListFiresListAddedOnceWithTheContactAndTheCausationOfTheOutsideTrigger() {
        ContactSnapshot ann = contact("c-list-" + UUID.randomUUID());
        ActionCommand add = driver.command("ContactAddToList", ann, Map.of("list", "Newsletter Subscribers"));
        run(add);
        run(driver.command("ContactAddToList", ann, Map.of("list", "Newsletter Subscribers"))); // a member already
        List<TriggerEvent> events = eventsUntilMarker(ann);

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("Contact.ListAdded");
            assertThat(e.data()).isEqualTo(Map.of("list", "Newsletter Subscribers"));
            assertThat(e.workspaceId()).isEqualTo(ws);
            assertThat(e.eventId()).isEqualTo(UUID.nameUUIDFromBytes((add.commandId()
                    + "\nContact.ListAdded\nNewsletter Subscribers").getBytes(StandardCharsets.UTF_8)).toString());
            // from an outside trigger: its eventId is the root, one step deep
            assertThat(e.causation()).isEqualTo(new Causation(add.trigger().eventId(), add.instanceId(), "s1", 1));
            // the contact as this service holds it after the effect
            assertThat(e.contact()).isEqualTo(ann);
            assertThat(e.occurredAt()).isNotNull();
        });
        ConsumerRecord<String, String> record = published.recordsOf(ann.id()).get(0);
        assertThat(record.key()).isEqualTo(ann.id());
        Header publisher = record.headers().lastHeader("engageflow-publisher");
        assertThat(new String(publisher.value(), StandardCharsets.UTF_8)).isEqualTo("contact-actions-service");
    }

    @Test
    void removingAMemberFiresListRemovedAndRemovingANonMemberFiresNothing() {
        ContactSnapshot ann = contact("c-unlist-" + UUID.randomUUID());
        run(driver.command("ContactAddToList", ann, Map.of("list", "Standard Members")));
        ActionCommand remove = driver.command("ContactRemoveFromList", ann, Map.of("list", "Standard Members"));
        run(remove);
        run(driver.command("ContactRemoveFromList", ann, Map.of("list", "Standard Members")));
        run(driver.command("ContactRemoveFromList", ann, Map.of("list", "Never Joined")));

        assertThat(eventsUntilMarker(ann))
                .extracting(TriggerEvent::type, TriggerEvent::data, e -> e.causation().instanceId())
                .containsExactly(
                        Tuple.tuple("Contact.ListAdded", Map.of("list", "Standard Members"),
                                eventsOf(ann).get(0).causation().instanceId()),
                        Tuple.tuple("Contact.ListRemoved", Map.of("list", "Standard Members"),
                                remove.instanceId()));
    }

    @Test
    void anUpdateFiresPropertyUpdatedWithOldAndNewValuesOfWhatChangedAndTagAddedForEachNewTag() {
        ContactSnapshot ann = contact("c-update-" + UUID.randomUUID());
        run(driver.command("ContactUpdate", ann, Map.of("addTags", List.of("news"))));
        ActionCommand update = driver.command("ContactUpdate", ann, Map.of(
                "properties", Map.of("city", "Bergen", "tier", "gold", "score", 5.0),
                "addTags", List.of("news", "vip", "gone"), "removeTags", List.of("gone")));
        run(update);
        // the same values again: nothing changes, nothing fires — though this command's snapshot (newer than the
        // update above, city Oslo) moves the city back before the update sets it again: the stored value stays
        run(driver.command("ContactUpdate", ann, Map.of("properties", Map.of("city", "Bergen", "tier", "gold"),
                "addTags", List.of("vip"))));

        List<TriggerEvent> events = eventsUntilMarker(ann);
        List<TriggerEvent> ofUpdate = events.stream()
                .filter(e -> e.causation().instanceId().equals(update.instanceId())).toList();
        Map<String, Object> city = new LinkedHashMap<>();
        city.put("old", "Oslo");
        city.put("new", "Bergen");
        Map<String, Object> tier = new LinkedHashMap<>();
        tier.put("old", null);
        tier.put("new", "gold");
        assertThat(ofUpdate).extracting(TriggerEvent::type, TriggerEvent::data).containsExactly(
                Tuple.tuple("Contact.PropertyUpdated",
                        Map.of("changes", Map.of("city", city, "tier", tier))),
                Tuple.tuple("Contact.TagAdded", Map.of("tag", "vip")));
        // the contact as written: 5.0 is the value 5 (no change, no event), and it is stored as given
        assertThat(ofUpdate.get(0).contact().properties()).isEqualTo(Map.of("city", "Bergen", "score", 5.0,
                "tier", "gold"));
        // the first update added "news"; nothing else fired besides the update's two events
        assertThat(events).extracting(TriggerEvent::type).containsExactly("Contact.TagAdded",
                "Contact.PropertyUpdated", "Contact.TagAdded");
    }

    @Test
    void aCommandDeliveredAgainFiresNothingAgain() {
        ContactSnapshot ann = contact("c-again-" + UUID.randomUUID());
        ActionCommand add = driver.command("ContactAddToList", ann, Map.of("list", "VIP Members"));
        run(add);
        driver.send(add);
        Awaitility.await().atMost(WAIT).until(() -> driver.resultsFor(add.commandId()).size() == 2);

        assertThat(eventsUntilMarker(ann)).extracting(TriggerEvent::type).containsExactly("Contact.ListAdded");
    }

    @Test
    void anEventCausedByACausedTriggerKeepsItsRootAndGoesOneDeeper() {
        ContactSnapshot ann = contact("c-chain-" + UUID.randomUUID());
        ActionCommand command = driver.causedCommand("ContactAddToList", ann, Map.of("list", "Chained"), "add",
                new Causation("root-1", "i-earlier", "s-earlier", 3));
        run(command);

        assertThat(eventsUntilMarker(ann)).singleElement().satisfies(e -> assertThat(e.causation())
                .isEqualTo(new Causation("root-1", command.instanceId(), "add", 4)));
    }

    private void run(ActionCommand command) {
        assertThat(driver.run(command).path()).isEqualTo("Success");
    }

    /** The contact's events before a marker event fired after them (so none can still be on the way). */
    private List<TriggerEvent> eventsUntilMarker(ContactSnapshot contact) {
        return published.eventsBeforeMarker(contact.id(), "list",
                marker -> run(driver.command("ContactAddToList", contact, Map.of("list", marker))));
    }

    private List<TriggerEvent> eventsOf(ContactSnapshot contact) {
        return published.eventsOf(contact.id());
    }
}
