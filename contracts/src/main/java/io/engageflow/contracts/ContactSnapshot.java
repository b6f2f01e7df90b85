package io.engageflow.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** The contact as a trigger or a command carries it. {@code id} is required; the rest is what the sender knows. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContactSnapshot(String id, String email, String phone, String firstName, String lastName,
                              Map<String, Object> properties) {
    public ContactSnapshot {
        properties = properties == null ? Map.of() : properties;
    }

    public static ContactSnapshot ofId(String id) {
        return new ContactSnapshot(id, null, null, null, null, Map.of());
    }
}
