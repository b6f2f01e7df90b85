package io.engageflow.common.auth;

import io.engageflow.contracts.auth.ApiKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The operator's key from configuration ({@code engageflow.operator-key}, env {@code ENGAGEFLOW_OPERATOR_KEY}): it
 * creates workspaces' first keys and may act on every workspace. Unset, nobody holds it. A short one is refused at
 * start, since it opens every workspace.
 */
@ApplicationScoped
public class OperatorKey {
    static final int MIN_LENGTH = 32;
    private final Optional<String> key;

    public OperatorKey(@ConfigProperty(name = "engageflow.operator-key") Optional<String> key) {
        this.key = key.map(String::strip).filter(k -> !k.isEmpty());
        if (this.key.isPresent() && this.key.get().length() < MIN_LENGTH) {
            throw new IllegalStateException("engageflow.operator-key must be at least " + MIN_LENGTH
                    + " characters (e.g. 32 random bytes, base64)");
        }
    }

    public boolean matches(String token) {
        return key.isPresent() && ApiKeys.sameSecret(key.get(), token);
    }
}
