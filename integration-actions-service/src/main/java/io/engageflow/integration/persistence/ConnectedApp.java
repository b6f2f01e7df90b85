package io.engageflow.integration.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.time.Instant;

/**
 * A provider connected to a workspace: its secret settings (the API key and other credentials) as one ciphertext
 * (see ConnectedApps; the column keeps its first name), optional base URL (a sandbox), the other settings.
 */
@Entity
public class ConnectedApp extends PanacheEntityBase {
    @Id
    public String key;
    public String workspaceId;
    public String provider;
    @Column(name = "api_key_encrypted")
    public String secretsEncrypted;
    public String baseUrl;
    public String settingsJson = "{}";
    public Instant updatedAt;

    public static String key(String workspaceId, String provider) {
        return workspaceId + "/" + provider;
    }
}
