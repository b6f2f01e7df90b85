package io.engageflow.integration.domain.secrets;

/**
 * A stored ciphertext that cannot be decrypted with the configured keys: its key id is not configured, or it was not
 * encrypted for this workspace and provider (copied from another row), or it was altered. The message names ids
 * only, never a value.
 */
public class UnreadableSecretException extends RuntimeException {
    public UnreadableSecretException(String message) {
        super(message);
    }
}
