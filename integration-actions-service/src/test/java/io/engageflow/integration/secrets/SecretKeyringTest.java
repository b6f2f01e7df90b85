package io.engageflow.integration.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engageflow.integration.domain.SecretBox;
import io.engageflow.integration.domain.secrets.SecretKeyring;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The keys the service starts with, read through the service's own application.properties under each profile: the
 * production profile refuses to start without a key of its own or on the published development key (the bean is
 * created at startup, so its constructor failing stops the service), dev and test run without configuration, and
 * several keys are read for rotation.
 */
class SecretKeyringTest {
    private static final String DEVELOPMENT_KEY = SecretKeyring.DEVELOPMENT_KEY;

    static String randomKey() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    /** The service's shipped application.properties under a profile, with these properties and environment on top. */
    private static SmallRyeConfig config(String profile, Map<String, String> properties, Map<String, String> env)
            throws Exception {
        return new SmallRyeConfigBuilder().withProfile(profile).addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(
                        Path.of("src/main/resources/application.properties").toUri().toURL(), 250))
                .withSources(new PropertiesConfigSource(properties, "system properties", 400))
                .withSources(new EnvConfigSource(env, 300))
                .build();
    }

    @Test
    void theProductionProfileRefusesToStartWithoutAKeyOfItsOwn() throws Exception {
        SmallRyeConfig prod = config("prod", Map.of(), Map.of());
        assertThatThrownBy(() -> new SecretBox(prod)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no secret key is configured")
                .hasMessageContaining("refusing to start")
                .hasMessageContaining("ENGAGEFLOW_INTEGRATION_SECRET_KEY");
    }

    @Test
    void theProductionProfileRefusesTheDevelopmentKeySetExplicitlyOrKeptReadableBesideANewKey() throws Exception {
        assertThatThrownBy(() -> new SecretBox(config("prod", Map.of(), Map.of(
                "ENGAGEFLOW_INTEGRATION_SECRET_KEY", DEVELOPMENT_KEY))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("secret key 'default' is the built-in development key")
                .hasMessageContaining("refusing to start");
        assertThatThrownBy(() -> new SecretBox(config("prod", Map.of(
                "engageflow.integration.secret-keys.old", DEVELOPMENT_KEY,
                "engageflow.integration.secret-keys.k2", randomKey(),
                "engageflow.integration.secret-key-id", "k2"), Map.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("secret key 'old' is the built-in development key");
    }

    @Test
    void theProductionProfileStartsWithAKeyOfItsOwnOrWhenTheDevelopmentKeyIsExplicitlyAllowed() throws Exception {
        SecretKeyring own = SecretKeyring.fromConfig(config("prod", Map.of(),
                Map.of("ENGAGEFLOW_INTEGRATION_SECRET_KEY", randomKey())));
        assertThat(own.currentId()).isEqualTo("default");
        assertThat(own.developmentKeyCurrent()).isFalse();

        SecretKeyring allowed = SecretKeyring.fromConfig(config("prod",
                Map.of("engageflow.integration.allow-development-key", "true"), Map.of()));
        assertThat(allowed.currentId()).isEqualTo("default");
        assertThat(allowed.developmentKeyCurrent()).isTrue();
    }

    @Test
    void devAndTestProfilesRunWithoutConfigurationOnTheDevelopmentKey() throws Exception {
        for (String profile : new String[] {"dev", "test"}) {
            SecretKeyring keyring = SecretKeyring.fromConfig(config(profile, Map.of(), Map.of()));
            assertThat(keyring.ids()).as(profile).containsExactly("default");
            assertThat(keyring.developmentKeyCurrent()).as(profile).isTrue();
        }
    }

    @Test
    void severalKeysAreReadFromPropertiesAndEnvironmentAndTheOldSingleKeyIsKeyIdDefault() throws Exception {
        SecretKeyring keyring = SecretKeyring.fromConfig(config("prod",
                Map.of("engageflow.integration.secret-keys.k2025", randomKey()),
                Map.of("ENGAGEFLOW_INTEGRATION_SECRET_KEY", randomKey(),
                        "ENGAGEFLOW_INTEGRATION_SECRET_KEYS_K2026", randomKey(),
                        "ENGAGEFLOW_INTEGRATION_SECRET_KEY_ID", "k2026")));
        assertThat(keyring.ids()).containsExactlyInAnyOrder("default", "k2025", "k2026");
        assertThat(keyring.currentId()).isEqualTo("k2026");
    }

    @Test
    void aCurrentKeyIdWithoutAKeyOrAKeyOfTheWrongSizeIsRefused() throws Exception {
        assertThatThrownBy(() -> SecretKeyring.fromConfig(config("prod", Map.of(
                "engageflow.integration.secret-key", randomKey(),
                "engageflow.integration.secret-key-id", "k9"), Map.of())))
                .hasMessageContaining("secret-key-id=k9 names no configured key");
        assertThatThrownBy(() -> SecretKeyring.fromConfig(config("prod", Map.of(
                "engageflow.integration.secret-key", Base64.getEncoder().encodeToString(new byte[16])), Map.of())))
                .hasMessageContaining("must be 32 bytes");
    }
}
