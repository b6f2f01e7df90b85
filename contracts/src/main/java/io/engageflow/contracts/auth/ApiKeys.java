package io.engageflow.contracts.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API key material. A key is 256 random bits; only its SHA-256 is stored and published. A slow password hash would
 * add nothing for a secret of that strength, and a fast one lets every request be checked with a map lookup.
 */
public final class ApiKeys {
    /** Every key starts with it, so that a leaked key is recognisable (secret scanners, logs). */
    public static final String KEY_PREFIX = "efk_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int KEY_CHARS = KEY_PREFIX.length() + 43;

    private ApiKeys() {
    }

    /** A new key: {@code efk_} and 43 base64url characters (32 random bytes). */
    public static String newKey() {
        return KEY_PREFIX + random(32);
    }

    /** A new key id (not secret; it names the key in lists and revocations). */
    public static String newId() {
        return "key_" + random(12);
    }

    /** Whether {@code token} has the shape of a key (checked before hashing anything a caller sent). */
    public static boolean looksLikeKey(String token) {
        return token.length() == KEY_CHARS && token.startsWith(KEY_PREFIX);
    }

    /** The hex SHA-256 of a key, as stored and published. */
    public static String hash(String key) {
        return hex(digest(key));
    }

    /** A digest of {@link #digest} in the form {@link #hash} gives. */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** The SHA-256 of a secret: computed once per request, compared (in constant time) and looked up. */
    public static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
