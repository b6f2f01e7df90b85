package io.engageflow.contracts.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an API key may do in its workspace (CONTRACT.md, "Authentication"). */
public enum Role {
    /** Definitions, connected apps, keys, data changes; and all a publisher and a reader may do. */
    ADMIN,
    /** Posting triggers. */
    PUBLISHER,
    /** Reading instances, definitions, statistics and the data APIs. */
    READER;

    /** Whether a key of this role may call an endpoint that asks for {@code needed}. */
    public boolean permits(Role needed) {
        return this == ADMIN || this == needed;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of a wire name ({@code admin}, {@code publisher}, {@code reader}), or empty. */
    public static Optional<Role> parse(String name) {
        return name == null ? Optional.empty()
                : Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
    }

    @JsonCreator
    static Role fromWire(String name) {
        return parse(name).orElseThrow(() -> new IllegalArgumentException("unknown role " + name));
    }
}
