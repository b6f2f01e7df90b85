package io.engageflow.integration.domain;

import java.util.Map;

/** A connected app's decrypted credentials, only ever held in memory for one call. */
public record AppCredentials(String provider, String apiKey, String baseUrl, Map<String, Object> settings) {
    @Override
    public String toString() {
        return "AppCredentials[" + provider + ", " + baseUrl + "]"; // never log the key
    }
}
