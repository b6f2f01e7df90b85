package io.engageflow.contracts.auth;

import java.time.Instant;

/**
 * A live API key as the orchestrator publishes it on {@code auth.api-keys} (compacted, key = {@code id}) for every
 * service to check callers against. Only the SHA-256 of the key travels; a revoked key's record is a tombstone.
 */
public record ApiKeyGrant(String id, String workspace, String name, Role role, String keyHash, Instant createdAt) {
}
