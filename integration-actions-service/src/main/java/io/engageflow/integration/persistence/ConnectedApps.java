package io.engageflow.integration.persistence;

import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.integration.domain.AppCredentials;
import io.engageflow.integration.domain.SecretBox;
import io.engageflow.integration.domain.secrets.ProviderSecrets;
import io.engageflow.integration.domain.secrets.UnreadableSecretException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Stores and reads connected apps; secrets are encrypted on the way in and decrypted only for a call. Saving goes
 * through Hibernate (the REST API's session and transaction); an action reads its app with one plain query on the
 * pool, outside any transaction, right before its call. Not cached: the lookup is one primary-key read against a
 * call that takes milliseconds to seconds, and a key rotated or an app removed through any replica counts from the
 * next call on.
 * <p>
 * The secret settings ({@link ProviderSecrets}: the API key and every other credential) are stored together as one
 * ciphertext, a JSON object sealed by {@link SecretBox} for the app's workspace and provider, in column
 * {@code api_key_encrypted}; {@code settings_json} keeps only the settings that are not secret. Rows of earlier
 * versions (the API key alone, sealed without key id; other credentials in plain text in {@code settings_json})
 * still read, and the re-encrypt command rewrites them in this form.
 */
@ApplicationScoped
public class ConnectedApps {
    private static final Logger LOG = Logger.getLogger(ConnectedApps.class);
    private static final String FIND = "SELECT api_key_encrypted, base_url, settings_json FROM connected_app "
            + "WHERE key = $1";

    private final SecretBox box;
    private final Pool pool;

    public ConnectedApps(SecretBox box, Pool pool) {
        this.box = box;
        this.pool = pool;
    }

    public SecretBox box() {
        return box;
    }

    public Pool pool() {
        return pool;
    }

    /** The app with its secrets decrypted; fails with {@link UnreadableSecretException} if they cannot be. */
    public Uni<Optional<AppCredentials>> find(String workspaceId, String provider) {
        return pool.preparedQuery(FIND).execute(Tuple.of(ConnectedApp.key(workspaceId, provider))).map(rows -> {
            if (!rows.iterator().hasNext()) {
                return Optional.empty();
            }
            Row app = rows.iterator().next();
            String settingsJson = app.getString("settings_json");
            Map<String, Object> secrets;
            try {
                secrets = secrets(workspaceId, provider, app.getString("api_key_encrypted"), settingsJson);
            } catch (UnreadableSecretException e) {
                LOG.warnf("the %s app of workspace %s cannot be decrypted: %s", provider, workspaceId, e.getMessage());
                throw new UnreadableSecretException("the " + provider + " app of workspace " + workspaceId
                        + " cannot be decrypted (" + e.getMessage() + "): connect it again");
            }
            Map<String, Object> settings = ProviderSecrets.withoutSecrets(provider, JsonCodec.toMap(settingsJson));
            secrets.forEach((name, value) -> {
                if (!ProviderSecrets.API_KEY.equals(name)) {
                    settings.put(name, value);
                }
            });
            Object apiKey = secrets.get(ProviderSecrets.API_KEY);
            return Optional.of(new AppCredentials(provider, apiKey == null ? null : String.valueOf(apiKey),
                    app.getString("base_url"), settings));
        });
    }

    public Uni<ConnectedApp> save(String workspaceId, String provider, String apiKey, String baseUrl,
                                  Map<String, Object> settings) {
        String key = ConnectedApp.key(workspaceId, provider);
        Map<String, Object> secrets = new LinkedHashMap<>();
        secrets.put(ProviderSecrets.API_KEY, apiKey);
        secrets.putAll(ProviderSecrets.secrets(provider, settings));
        return ConnectedApp.<ConnectedApp>findById(key).chain(existing -> {
            ConnectedApp app = existing != null ? existing : new ConnectedApp();
            app.key = key;
            app.workspaceId = workspaceId;
            app.provider = provider;
            app.secretsEncrypted = seal(workspaceId, provider, secrets);
            app.baseUrl = baseUrl;
            app.settingsJson = JsonCodec.encode(ProviderSecrets.withoutSecrets(provider, settings));
            app.updatedAt = Instant.now();
            return existing != null ? Uni.createFrom().item(app) : app.persist();
        });
    }

    /**
     * What the API shows of an app: its settings without any secret, and the names of the secrets that are set
     * ({@code secretsSet}), never their values. If the secrets cannot be decrypted, {@code secretsUnreadable} says why.
     */
    public Map<String, Object> view(ConnectedApp app) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("provider", app.provider);
        v.put("baseUrl", app.baseUrl);
        v.put("apiKeySet", true);
        try {
            v.put("secretsSet", new TreeSet<>(secrets(app.workspaceId, app.provider, app.secretsEncrypted,
                    app.settingsJson).keySet()));
        } catch (UnreadableSecretException e) {
            v.put("secretsSet", null);
            v.put("secretsUnreadable", e.getMessage());
        }
        v.put("settings", ProviderSecrets.withoutSecrets(app.provider, JsonCodec.toMap(app.settingsJson)));
        v.put("updatedAt", app.updatedAt);
        return v;
    }

    /**
     * Every secret setting of a stored row, decrypted: the sealed ones, and any that an earlier version kept in
     * plain text in settings_json.
     */
    public Map<String, Object> secrets(String workspaceId, String provider, String sealed, String settingsJson) {
        SecretBox.Opened opened = box.open(sealed, workspaceId, provider);
        Map<String, Object> secrets = ProviderSecrets.secrets(provider, JsonCodec.toMap(settingsJson));
        if (opened.bound()) {
            secrets.putAll(JsonCodec.toMap(opened.plain()));
        } else {
            secrets.put(ProviderSecrets.API_KEY, opened.plain());
        }
        return secrets;
    }

    /** The secret settings as stored: one ciphertext of their JSON object, for this workspace and provider. */
    public String seal(String workspaceId, String provider, Map<String, Object> secrets) {
        return box.seal(JsonCodec.encode(secrets), workspaceId, provider);
    }
}
