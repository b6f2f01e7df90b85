package io.engageflow.integration.domain;

import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.integration.persistence.ConnectedApp;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Stores and reads connected apps; keys are encrypted on the way in and decrypted only for a call. */
@ApplicationScoped
public class ConnectedApps {
    private final SecretBox box;

    public ConnectedApps(SecretBox box) {
        this.box = box;
    }

    public Uni<Optional<AppCredentials>> find(String workspaceId, String provider) {
        return ConnectedApp.<ConnectedApp>findById(ConnectedApp.key(workspaceId, provider))
                .map(app -> Optional.ofNullable(app).map(a -> new AppCredentials(provider,
                        box.decrypt(a.apiKeyEncrypted), a.baseUrl, JsonCodec.toMap(a.settingsJson))));
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
