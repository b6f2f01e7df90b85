package io.engageflow.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The settings every service shares through service-common, apart from the delivery kit's
 * ({@link DeliverySettings}, {@code engageflow.delivery.*}). README "Configuration" lists
 * them; a test holds the two together.
 */
@ConfigMapping(prefix = "engageflow")
public interface CommonSettings {
    /**
     * The operator's key (env {@code ENGAGEFLOW_OPERATOR_KEY}): it creates workspaces' first keys and may act on every
     * workspace; unset, nobody holds it. At least 32 characters, the same on all five services.
     */
    Optional<String> operatorKey();

    /** Authentication (CONTRACT.md, "Authentication"). */
    Auth auth();

    /** The expression engine (CEL conditions, templates). */
    Expressions expressions();

    interface Auth {
        /**
         * How long a request with a key this process does not know waits for the key topic to be read up to its end
         * (a key created a moment ago elsewhere); a topic that cannot be read within it fails the request (503).
         */
        @WithDefault("5s")
        Duration catchUpLimit();

        /** The least time between two "last used" records of one key from one process. */
        @WithDefault("60s")
        Duration lastUsedInterval();

        /** Bearer tokens of an identity provider (OIDC) besides API keys. */
        Oidc oidc();
    }

    interface Oidc {
        /**
         * Whether a bearer that is not an API key is an OIDC token (then also set QUARKUS_OIDC_TENANT_ENABLED=true and
         * QUARKUS_OIDC_AUTH_SERVER_URL or QUARKUS_OIDC_PUBLIC_KEY).
         */
        @WithDefault("false")
        boolean enabled();

        /** The token claim naming the workspace. */
        @WithDefault("engageflow_workspace")
        String workspaceClaim();

        /** The token claim naming the role (reader, publisher, admin). */
        @WithDefault("engageflow_role")
        String roleClaim();
    }

    interface Expressions {
        /** Whether one condition and one template are compiled at start, off the first command's path. */
        @WithDefault("true")
        boolean warmUp();
    }
}
