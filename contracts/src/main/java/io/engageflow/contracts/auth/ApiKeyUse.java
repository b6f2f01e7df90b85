package io.engageflow.contracts.auth;

import java.time.Instant;

/** A service saw key {@code keyId} used at {@code at}; on {@code auth.api-keys.used} (key = key id), at most once a minute per key and service. */
public record ApiKeyUse(String keyId, String service, Instant at) {
}
