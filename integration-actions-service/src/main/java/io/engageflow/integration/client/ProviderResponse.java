package io.engageflow.integration.client;

import com.fasterxml.jackson.core.type.TypeReference;
import io.engageflow.contracts.json.JsonCodec;
import java.util.Map;

/**
 * What a provider answered: status, body text, the call's failure before any answer, and the wait a Retry-After
 * header asked for (null when absent).
 */
public record ProviderResponse(int status, String body, String transportError, Long retryAfterMillis) {
    public ProviderResponse(int status, String body, String transportError) {
        this(status, body, transportError, null);
    }

    public boolean ok() {
        return transportError == null && status / 100 == 2;
    }

    /** The body as a JSON object, or empty. */
    public Map<String, Object> json() {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        var tree = JsonCodec.parse(body);
        return tree.isOk() && tree.value().isObject()
                ? JsonCodec.mapper().convertValue(tree.value(), new TypeReference<Map<String, Object>>() { })
                : Map.of();
    }

    public String describe() {
        if (transportError != null) {
            return transportError;
        }
        return "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + body.substring(0,
                Math.min(300, body.length())));
    }
}
