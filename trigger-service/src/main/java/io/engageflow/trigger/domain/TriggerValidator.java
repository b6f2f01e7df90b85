package io.engageflow.trigger.domain;

import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.TriggerTypes;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.contracts.json.JsonCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads and checks a trigger record; the canonical type replaces an alias and occurredAt defaults to receipt. */
public final class TriggerValidator {
    static final int MAX_ID_LENGTH = 200;

    private TriggerValidator() {
    }

    /**
     * @param workspaceFromPath the workspace of the HTTP path, or null for a Kafka record (then it is required in
     *                          the record)
     */
    public static Decoded<TriggerEvent> validate(String payload, String workspaceFromPath, Instant receivedAt) {
        Decoded<TriggerEvent> decoded = JsonCodec.decode(payload, TriggerEvent.class);
        if (!decoded.isOk()) {
            return decoded;
        }
        TriggerEvent t = decoded.value();
        List<String> errors = new ArrayList<>();
        requireId(errors, "eventId", t.eventId());
        String workspace = workspaceFromPath != null ? workspaceFromPath : t.workspaceId();
        if (workspaceFromPath != null && t.workspaceId() != null && !t.workspaceId().equals(workspaceFromPath)) {
            errors.add("workspaceId " + t.workspaceId() + " does not match the path's workspace " + workspaceFromPath);
        }
        requireId(errors, "workspaceId", workspace);
        if (t.type() == null || t.type().isBlank()) {
            errors.add("type is required");
        } else if (TriggerTypes.canonical(t.type()).isEmpty()) {
            errors.add("unknown trigger type " + t.type() + "; known: " + TriggerTypes.all());
        }
        if (t.contact() == null) {
            errors.add("contact is required");
        } else {
            requireId(errors, "contact.id", t.contact().id());
        }
        if (!errors.isEmpty()) {
            return Decoded.failed(errors);
        }
        return Decoded.ok(t.withType(TriggerTypes.canonical(t.type()).orElseThrow())
                .withWorkspaceAndTime(workspace, t.occurredAt() == null ? receivedAt : t.occurredAt()));
    }

    private static void requireId(List<String> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(field + " is required");
        } else if (value.length() > MAX_ID_LENGTH) {
            errors.add(field + " is longer than " + MAX_ID_LENGTH + " characters");
        }
    }
}
