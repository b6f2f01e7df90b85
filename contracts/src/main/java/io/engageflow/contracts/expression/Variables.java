package io.engageflow.contracts.expression;

import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables conditions and templates see: {@code contact}, {@code trigger}, {@code steps}. The contact carries
 * both our camelCase keys and the platform's snake_case ones ({@code first_name}), and its properties are also
 * reachable at the top level ({@code contact.city}) unless a field of that name exists. The clock, {@code now}, is not
 * a variable here: {@link Templates} and {@link Conditions} take it as an instant.
 */
public final class Variables {
    private Variables() {
    }

    public static Map<String, Object> of(ContactSnapshot contact, TriggerEvent trigger,
                                         Map<String, Map<String, Object>> steps) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("contact", contactMap(contact));
        Map<String, Object> triggerMap = new LinkedHashMap<>();
        if (trigger != null) {
            // what the trigger's JSON reads as, built by hand: this runs for every step an instance dispatches
            putIfSet(triggerMap, "eventId", trigger.eventId());
            putIfSet(triggerMap, "type", trigger.type());
            putIfSet(triggerMap, "workspaceId", trigger.workspaceId());
            putIfSet(triggerMap, "occurredAt", trigger.occurredAt() == null ? null : trigger.occurredAt().toString());
            // a command carries the contact once, at its top: trigger.contact still reads it
            ContactSnapshot triggerContact = trigger.contact() != null ? trigger.contact() : contact;
            if (triggerContact != null) {
                triggerMap.put("contact", snapshotMap(triggerContact));
            }
            triggerMap.put("data", trigger.data());
            if (trigger.causation() != null) {
                // a platform event: which chain it belongs to and how deep (conditions can stop a chain early)
                Map<String, Object> causation = new LinkedHashMap<>();
                putIfSet(causation, "rootEventId", trigger.causation().rootEventId());
                putIfSet(causation, "instanceId", trigger.causation().instanceId());
                putIfSet(causation, "stepId", trigger.causation().stepId());
                putIfSet(causation, "depth", trigger.causation().depth());
                triggerMap.put("causation", causation);
            }
        }
        vars.put("trigger", triggerMap);
        vars.put("steps", steps == null ? Map.of() : steps);
        return vars;
    }

    public static Map<String, Object> contactMap(ContactSnapshot contact) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (contact == null) {
            return map;
        }
        contact.properties().forEach(map::put);
        putBoth(map, "id", "id", contact.id());
        putBoth(map, "email", "email", contact.email());
        putBoth(map, "phone", "phone", contact.phone());
        putBoth(map, "firstName", "first_name", contact.firstName());
        putBoth(map, "lastName", "last_name", contact.lastName());
        map.put("properties", contact.properties());
        return map;
    }

    /** A snapshot as its JSON reads (null fields left out). */
    private static Map<String, Object> snapshotMap(ContactSnapshot c) {
        Map<String, Object> map = new LinkedHashMap<>();
        putIfSet(map, "id", c.id());
        putIfSet(map, "email", c.email());
        putIfSet(map, "phone", c.phone());
        putIfSet(map, "firstName", c.firstName());
        putIfSet(map, "lastName", c.lastName());
        map.put("properties", c.properties());
        return map;
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static void putBoth(Map<String, Object> map, String camel, String snake, Object value) {
        if (value != null) {
            map.put(camel, value);
            map.put(snake, value);
        }
    }
}
