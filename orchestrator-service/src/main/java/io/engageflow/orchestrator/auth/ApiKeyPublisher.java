package io.engageflow.orchestrator.auth;

import io.engageflow.common.auth.ApiKeyDirectory;
import io.engageflow.common.delivery.KafkaSender;
import io.engageflow.common.delivery.OutboundRecord;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.orchestrator.persistence.ApiKeyStore;
import io.engageflow.orchestrator.persistence.ApiKeyStore.StoredKey;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Publishes keys to every service on the compacted topic auth.api-keys: a live key as its grant, a revoked one as a
 * tombstone, and applies the change to this process's directory (a revocation at once, a grant once published). At
 * start it publishes every row again, so a change whose publication a crash interrupted still reaches the services
 * (repeats are harmless on a compacted topic).
 */
@ApplicationScoped
public class ApiKeyPublisher {
    private static final Logger LOG = Logger.getLogger(ApiKeyPublisher.class);
    private final KafkaSender sender;
    private final ApiKeyDirectory directory;
    private final ApiKeyStore store;

    public ApiKeyPublisher(KafkaSender sender, ApiKeyDirectory directory, ApiKeyStore store) {
        this.sender = sender;
        this.directory = directory;
        this.store = store;
    }

    public Uni<Void> publish(List<StoredKey> keys) {
        List<OutboundRecord> records = keys.stream().map(k -> new OutboundRecord(Topics.API_KEYS, k.id(),
                k.revokedAt() == null ? JsonCodec.encode(k.grant()) : null)).toList();
        // a revocation holds here at once, even if the topic can't take it now; a grant only once it is published
        // (a create whose grant could not be published is revoked and its key never shown)
        keys.stream().filter(k -> k.revokedAt() != null).forEach(k -> directory.apply(k.id(), null));
        return sender.send(records).invoke(() -> keys.stream().filter(k -> k.revokedAt() == null)
                .forEach(k -> directory.apply(k.id(), k.grant())));
    }

    void republishAtStart(@Observes StartupEvent ignored) {
        store.all().chain(keys -> publish(keys).replaceWith(keys.size()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).atMost(10)
                .subscribe().with(
                        n -> LOG.infof("republished %d API keys", n),
                        e -> LOG.warnf("could not republish API keys at start (%s); changes still publish as they "
                                + "happen", e.getClass().getSimpleName()));
    }
}
