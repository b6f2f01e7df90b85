package io.engageflow.integration.domain.secrets;

import io.engageflow.contracts.catalog.ActionCatalog;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which connected-app settings are secret: encrypted at rest with the API key and never returned by the API.
 * Each provider declares its credential settings; on top of that, any setting whose name reads like a credential
 * (contains secret, password, passwd, token or credential, or ends with key) counts as secret, so a credential under
 * a name not declared here is still not stored or shown in plain text.
 * The action catalog (contracts) does not describe connected-app settings yet; this list belongs there.
 */
public final class ProviderSecrets {
    public static final String API_KEY = "apiKey";

    private static final Map<String, Set<String>> DECLARED = Map.of(
            ActionCatalog.SALESFORCE, Set.of(API_KEY, "clientSecret", "password", "securityToken", "refreshToken",
                    "accessToken", "privateKey"),
            ActionCatalog.MAILCHIMP, Set.of(API_KEY, "accessToken"),
            ActionCatalog.BRAZE, Set.of(API_KEY, "restApiKey"),
            ActionCatalog.LOCALCARD, Set.of(API_KEY, "apiSecret"),
            ActionCatalog.THUZI, Set.of(API_KEY, "apiSecret"));

    private ProviderSecrets() {
    }

    public static boolean isSecret(String provider, String setting) {
        if (DECLARED.getOrDefault(provider, Set.of(API_KEY)).contains(setting)) {
            return true;
        }
        String name = setting.toLowerCase(Locale.ROOT);
        return name.contains("secret") || name.contains("password") || name.contains("passwd")
                || name.contains("token") || name.contains("credential") || name.endsWith("key");
    }

    /** The secret settings of a settings map, in its order. */
    public static Map<String, Object> secrets(String provider, Map<String, Object> settings) {
        Map<String, Object> secret = new LinkedHashMap<>();
        settings.forEach((name, value) -> {
            if (isSecret(provider, name)) {
                secret.put(name, value);
            }
        });
        return secret;
    }

    /** The settings that are not secret, in their order. */
    public static Map<String, Object> withoutSecrets(String provider, Map<String, Object> settings) {
        Map<String, Object> plain = new LinkedHashMap<>();
        settings.forEach((name, value) -> {
            if (!isSecret(provider, name)) {
                plain.put(name, value);
            }
        });
        return plain;
    }
}
