package io.engageflow.integration.client;

/**
 * A config or connected-app value a request cannot be built from (an empty or dot path segment, a name that is not a
 * Salesforce API name, …): the step takes Failure (InvalidConfig) and nothing is sent.
 */
public final class InvalidConfigValue extends RuntimeException {
    public InvalidConfigValue(String message) {
        super(message, null, false, false);
    }
}
