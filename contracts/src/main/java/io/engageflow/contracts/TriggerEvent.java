package io.engageflow.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A trigger as upstream platforms publish it on {@code triggers.inbound} and trigger-service forwards it on
 * {@code workflow.triggers}. {@code eventId} is the de-duplication key. {@code causation} is set on a platform event
 * an instance's step caused ({@link Causation}); a trigger from outside has none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TriggerEvent(String eventId, String type, String workspaceId, Instant occurredAt,
                           ContactSnapshot contact, Map<String, Object> data, Causation causation) {
    public TriggerEvent {
        data = data == null ? Map.of() : data;
    }

    /** A trigger from outside: no causation. */
    public TriggerEvent(String eventId, String type, String workspaceId, Instant occurredAt, ContactSnapshot contact,
                        Map<String, Object> data) {
        this(eventId, type, workspaceId, occurredAt, contact, data, null);
    }

    public TriggerEvent withType(String newType) {
        return new TriggerEvent(eventId, newType, workspaceId, occurredAt, contact, data, causation);
    }

    public TriggerEvent withContact(ContactSnapshot newContact) {
        return new TriggerEvent(eventId, type, workspaceId, occurredAt, newContact, data, causation);
    }

    public TriggerEvent withWorkspaceAndTime(String ws, Instant at) {
        return new TriggerEvent(eventId, type, ws, at, contact, data, causation);
    }
}
