package io.engageflow.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A trigger as upstream platforms publish it on {@code triggers.inbound} and trigger-service forwards it on
 * {@code workflow.triggers}. {@code eventId} is the de-duplication key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TriggerEvent(String eventId, String type, String workspaceId, Instant occurredAt,
                           ContactSnapshot contact, Map<String, Object> data) {
    public TriggerEvent {
        data = data == null ? Map.of() : data;
    }

    public TriggerEvent withType(String newType) {
        return new TriggerEvent(eventId, newType, workspaceId, occurredAt, contact, data);
    }

    public TriggerEvent withContact(ContactSnapshot newContact) {
        return new TriggerEvent(eventId, type, workspaceId, occurredAt, newContact, data);
    }

    public TriggerEvent withWorkspaceAndTime(String ws, Instant at) {
        return new TriggerEvent(eventId, type, ws, at, contact, data);
    }
}
