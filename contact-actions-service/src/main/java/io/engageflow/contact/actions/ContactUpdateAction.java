package io.engageflow.contact.actions;

import com.fasterxml.jackson.databind.JsonNode;
import io.engageflow.contact.persistence.ContactEntity;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.TriggerTypes;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.TypedLocalAction;
import io.engageflow.runtime.events.PlatformEvents;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sets contact properties and adds or removes tags: merged with the command's snapshot and written in one go. An
 * update is the newest data the contact has. What it really changed fires platform events: Contact.PropertyUpdated
 * with the old (as stored before the command, null when none) and new value of each property it set to another
 * value, and Contact.TagAdded for each tag the contact did not have.
 */
@Singleton // a record: no client proxy, so not normal-scoped
public record ContactUpdateAction(ContactSnapshotMerger merger, PlatformEvents events)
        implements TypedLocalAction<ContactUpdateAction.Config>, MergesContactSnapshot {
    /** The update: {@code properties} is null when absent, and when it is not an object (refused, see execute). */
    record Config(Map<String, Object> properties, List<String> addTags, List<String> removeTags) {
    }

    /** JSON values compared as values: 5, 5.0 and 5L are one number. */
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    @Override
    public String action() {
        return "ContactUpdate";
    }

    @Override
    public Class<Config> configType(String action) {
        return Config.class;
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, Config config, SqlConnection tx) {
        // the decoded map is null for a value that is not an object too: only the command tells it from absent
        if (config.properties() == null && command.config().get("properties") != null) {
            // the snapshot is merged all the same, as for every contact command
            return merger.merge(command, tx).replaceWith(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG,
                    "properties must be an object of name: value"));
        }
        // the change may run twice (on the contact as new, then as stored): the last run is the one written
        AtomicReference<List<PlatformEvents.Event>> caused = new AtomicReference<>(List.of());
        return merger.merge(command, tx, (stored, contact) -> caused.set(update(stored, contact, config)))
                .call(contact -> events.publish(tx, command, contact.snapshot(), caused.get()))
                .map(contact -> ActionOutcome.success(Map.of("tags", new ArrayList<>(contact.tags()))));
    }

    /**
     * Applies the update to the contact (the snapshot merged in); the events of what changed against the contact as
     * stored before ({@code stored}, null for a new one): a snapshot that moved a value the update sets back is no
     * change.
     */
    private static List<PlatformEvents.Event> update(ContactEntity stored, ContactEntity contact, Config config) {
        List<PlatformEvents.Event> caused = new ArrayList<>();
        Map<String, Object> props = config.properties();
        if (props != null) {
            Map<String, Object> merged = contact.properties();
            Map<String, Object> before = stored == null ? Map.of() : stored.properties();
            Map<String, Object> changes = new LinkedHashMap<>();
            props.forEach((key, value) -> {
                Object old = before.get(key);
                if (!before.containsKey(key) || !same(old, value)) {
                    Map<String, Object> change = new LinkedHashMap<>(); // old may be null: no Map.of
                    change.put("old", old);
                    change.put("new", value);
                    changes.put(key, change);
                }
            });
            merged.putAll(props);
            contact.properties(merged);
            if (!changes.isEmpty()) {
                caused.add(PlatformEvents.Event.of(TriggerTypes.CONTACT_PROPERTY_UPDATED, Map.of("changes", changes)));
            }
        }
        Set<String> tags = contact.tags(); // a snapshot carries no tags: these are the stored ones
        Set<String> hadTags = Set.copyOf(tags);
        tags.addAll(config.addTags());
        tags.removeAll(config.removeTags());
        contact.tags(tags);
        for (String tag : tags) {
            if (!hadTags.contains(tag)) {
                caused.add(new PlatformEvents.Event(TriggerTypes.CONTACT_TAG_ADDED, tag, Map.of("tag", tag)));
            }
        }
        contact.updatedAt = Instant.now();
        contact.dataAsOf = Instant.now();
        return caused;
    }

    private static boolean same(Object a, Object b) {
        return JsonCodec.mapper().valueToTree(a).equals(SAME_VALUE, JsonCodec.mapper().valueToTree(b));
    }
}
