package io.engageflow.integration.domain;

import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.integration.persistence.ConnectedApp;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Stores and reads connected apps; keys are encrypted on the way in and decrypted only for a call. Saving goes
 * through Hibernate (the REST API's session and transaction); an action reads its app with one plain query on the
 * pool, outside any transaction, right before its call. Not cached: the lookup is one primary-key read against a
 * call that takes milliseconds to seconds, and a key rotated or an app removed through any replica counts from the
 * next call on.
 */
@ApplicationScoped
public class ConnectedApps {
    private static final String FIND = "SELECT api_key_encrypted, base_url, settings_json FROM connected_app "
            + "WHERE key = $1";

    private final SecretBox box;
    private final Pool pool;

    public ConnectedApps(SecretBox box, Pool pool) {
        this.box = box;
        this.pool = pool;
    }

    public Uni<Optional<AppCredentials>> find(String workspaceId, String provider) {
        return pool.preparedQuery(FIND).execute(Tuple.of(ConnectedApp.key(workspaceId, provider))).map(rows -> {
            if (!rows.iterator().hasNext()) {
                return Optional.empty();
            }
            Row app = rows.iterator().next();
            return Optional.of(new AppCredentials(provider, box.decrypt(app.getString("api_key_encrypted")),
                    app.getString("base_url"), JsonCodec.toMap(app.getString("settings_json"))));
        });
    }

    public Uni<ConnectedApp> save(String workspaceId, String provider, String apiKey, String baseUrl,
                                  Map<String, Object> settings) {
        String key = ConnectedApp.key(workspaceId, provider);
        return ConnectedApp.<ConnectedApp>findById(key).chain(existing -> {
            ConnectedApp app = existing != null ? existing : new ConnectedApp();
            app.key = key;
            app.workspaceId = workspaceId;
            app.provider = provider;
            app.apiKeyEncrypted = box.encrypt(apiKey);
            app.baseUrl = baseUrl;
            app.settingsJson = JsonCodec.encode(new LinkedHashMap<>(settings));
            app.updatedAt = Instant.now();
            return existing != null ? Uni.createFrom().item(app) : app.persist();
        });
    }
}
