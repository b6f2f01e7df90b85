package io.engageflow.integration.domain.secrets;

import java.util.Base64;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.Config;

/**
 * The AES-256 keys connected-app secrets are encrypted with, by key id, and the id new writes use. Every key listed
 * can be read, so a key is rotated by adding the new one, making it current, re-encrypting, then removing the old.
 * <ul>
 *   <li>{@code engageflow.integration.secret-keys.<id>=<base64 of 32 bytes>}: any number of keys; ids are lowercase
 *       letters and digits, so the environment form {@code ENGAGEFLOW_INTEGRATION_SECRET_KEYS_<ID>} names the same id;
 *   <li>{@code engageflow.integration.secret-key}: the single key of earlier versions, key id {@code default};
 *   <li>{@code engageflow.integration.secret-key-id}: the id new writes use (default {@code default}).
 * </ul>
 * The built-in development key stands in for {@code default} only where
 * {@code engageflow.integration.allow-development-key} is true (the dev and test profiles); anywhere else, using it
 * (unset or set explicitly) stops the service at startup.
 */
public final class SecretKeyring {
    public static final String KEYS_PREFIX = "engageflow.integration.secret-keys.";
    public static final String LEGACY_KEY = "engageflow.integration.secret-key";
    public static final String CURRENT_ID = "engageflow.integration.secret-key-id";
    public static final String ALLOW_DEVELOPMENT_KEY = "engageflow.integration.allow-development-key";
    public static final String DEFAULT_ID = "default";
    /** Published in the source, so it protects nothing: local runs and tests only. */
    public static final String DEVELOPMENT_KEY = "ZW5nYWdlZmxvdy1kZXZlbG9wbWVudC1rZXktMzJieXQ=";

    private static final String ENV_PREFIX = "ENGAGEFLOW_INTEGRATION_SECRET_KEYS_";
    private static final Pattern KEY_ID = Pattern.compile("[a-z0-9]{1,32}");
    private static final String HOW_TO_SET = "set ENGAGEFLOW_INTEGRATION_SECRET_KEY (or "
            + "engageflow.integration.secret-keys.<id> with engageflow.integration.secret-key-id) to 32 random bytes, "
            + "base64-encoded (openssl rand -base64 32); for a local run only, "
            + ALLOW_DEVELOPMENT_KEY + "=true allows the built-in development key";

    private final Map<String, SecretKey> keys;
    private final String currentId;
    private final boolean developmentKeyCurrent;

    /** keys: key id → base64 of 32 bytes. */
    public SecretKeyring(Map<String, String> base64Keys, String currentId) {
        Map<String, SecretKey> decoded = new TreeMap<>();
        base64Keys.forEach((id, base64) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalStateException("secret key id '" + id + "' is not 1 to 32 lowercase letters and "
                        + "digits");
            }
            decoded.put(id, decode(id, base64));
        });
        if (!decoded.containsKey(currentId)) {
            throw new IllegalStateException(CURRENT_ID + "=" + currentId + " names no configured key (configured: "
                    + decoded.keySet() + "); " + HOW_TO_SET);
        }
        this.keys = Collections.unmodifiableMap(decoded);
        this.currentId = currentId;
        this.developmentKeyCurrent = DEVELOPMENT_KEY.equals(base64Keys.get(currentId));
    }

    /**
     * Reads the keys from configuration and refuses the development key unless allowed: a production start with no
     * key set, or with the published one, fails here instead of encrypting customers' secrets with it.
     */
    public static SecretKeyring fromConfig(Config config) {
        boolean allowDevelopmentKey = config.getOptionalValue(ALLOW_DEVELOPMENT_KEY, Boolean.class).orElse(false);
        Map<String, String> keys = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            String id = name.startsWith(KEYS_PREFIX) ? name.substring(KEYS_PREFIX.length())
                    : name.startsWith(ENV_PREFIX) ? name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT)
                    : null;
            if (id != null && !id.isEmpty()) {
                config.getOptionalValue(KEYS_PREFIX + id, String.class).filter(v -> !v.isBlank())
                        .ifPresent(v -> keys.put(id, v.trim()));
            }
        }
        Optional<String> legacy = config.getOptionalValue(LEGACY_KEY, String.class).filter(v -> !v.isBlank())
                .map(String::trim);
        if (legacy.isPresent()) {
            String other = keys.putIfAbsent(DEFAULT_ID, legacy.get());
            if (other != null && !other.equals(legacy.get())) {
                throw new IllegalStateException(LEGACY_KEY + " and " + KEYS_PREFIX + DEFAULT_ID
                        + " are both set, to different keys: keep one");
            }
        } else if (allowDevelopmentKey) {
            keys.putIfAbsent(DEFAULT_ID, DEVELOPMENT_KEY);
        }
        String currentId = config.getOptionalValue(CURRENT_ID, String.class).filter(v -> !v.isBlank())
                .map(String::trim).orElse(DEFAULT_ID);
        if (!allowDevelopmentKey) {
            keys.forEach((id, key) -> {
                if (DEVELOPMENT_KEY.equals(key)) {
                    throw new IllegalStateException("secret key '" + id + "' is the built-in development key, which "
                            + "is published: refusing to start. " + HOW_TO_SET);
                }
            });
            if (!keys.containsKey(currentId) && DEFAULT_ID.equals(currentId)) {
                throw new IllegalStateException("no secret key is configured and this profile does not allow the "
                        + "built-in development key: refusing to start. " + HOW_TO_SET);
            }
        }
        return new SecretKeyring(keys, currentId);
    }

    private static SecretKey decode(String id, String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("secret key '" + id + "' is not base64", e);
        }
        if (raw.length != 32) {
            throw new IllegalStateException("secret key '" + id + "' must be 32 bytes, base64-encoded (it is "
                    + raw.length + ")");
        }
        return new SecretKeySpec(raw, "AES");
    }

    public String currentId() {
        return currentId;
    }

    public SecretKey current() {
        return keys.get(currentId);
    }

    public Optional<SecretKey> key(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    public java.util.Set<String> ids() {
        return keys.keySet();
    }

    public boolean developmentKeyCurrent() {
        return developmentKeyCurrent;
    }

    @Override
    public String toString() {
        return "SecretKeyring[current " + currentId + ", ids " + keys.keySet() + "]"; // never the keys
    }
}
