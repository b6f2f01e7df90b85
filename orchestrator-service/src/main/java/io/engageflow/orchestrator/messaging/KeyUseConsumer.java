package io.engageflow.orchestrator.messaging;

import io.engageflow.contracts.auth.ApiKeyUse;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.orchestrator.persistence.ApiKeyStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps keys' last-used time from the uses every service reports on auth.api-keys.used. A use is a hint, not a
 * change of state: one that can't be written after its retries is logged and passed over (the key's next use, a
 * minute later at most, reports again), so this consumer never stalls.
 */
@ApplicationScoped
public class KeyUseConsumer {
    private static final Logger LOG = Logger.getLogger(KeyUseConsumer.class);
    private final ApiKeyStore store;

    public KeyUseConsumer(ApiKeyStore store) {
        this.store = store;
    }

    @Incoming("api-key-uses")
    public Uni<Void> onUses(List<String> values) {
        List<ApiKeyUse> uses = new ArrayList<>();
        for (String value : values) {
            Decoded<ApiKeyUse> use = JsonCodec.decode(value, ApiKeyUse.class);
            if (use.isOk() && use.value().keyId() != null && use.value().at() != null) {
                uses.add(use.value());
            } else {
                LOG.warn("skipped a record of auth.api-keys.used that is not a key use");
            }
        }
        return store.used(uses)
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(5)
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("could not record %d key uses (%s)", uses.size(), e.getClass().getSimpleName());
                    return null;
                });
    }
}
