package io.engageflow.common.auth;

import io.engageflow.common.config.CommonSettings;
import io.engageflow.contracts.auth.ApiKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The operator's key from configuration ({@code engageflow.operator-key}, env {@code ENGAGEFLOW_OPERATOR_KEY}): it
 * creates workspaces' first keys and may act on every workspace. Unset, nobody holds it. A short one is refused at
 * start, since it opens every workspace.
 */
@ApplicationScoped
public class OperatorKey {
    static final int MIN_LENGTH = 32;
    /** The key's SHA-256, computed once: a request's token is digested once and compared with it. */
    private final Optional<byte[]> digest;

    public OperatorKey(CommonSettings settings) {
        Optional<String> configured = settings.operatorKey().map(String::strip).filter(k -> !k.isEmpty());
        if (configured.isPresent() && configured.get().length() < MIN_LENGTH) {
            throw new IllegalStateException("engageflow.operator-key must be at least " + MIN_LENGTH
                    + " characters (e.g. 32 random bytes, base64)");
        }
        this.digest = configured.map(ApiKeys::digest);
    }

    /** Whether a token with this {@link ApiKeys#digest} is the operator key, in time that doesn't tell how close. */
    public boolean matches(byte[] tokenDigest) {
        return digest.isPresent() && MessageDigest.isEqual(digest.get(), tokenDigest);
    }
}
