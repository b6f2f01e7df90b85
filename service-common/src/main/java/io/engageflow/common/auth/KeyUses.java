package io.engageflow.common.auth;

import io.engageflow.common.config.CommonSettings;
import io.engageflow.common.delivery.KafkaSender;
import io.engageflow.common.delivery.OutboundRecord;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.auth.ApiKeyUse;
import io.engageflow.contracts.json.JsonCodec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Tells the orchestrator, which lists keys with their last-used time, that a key was used here: the first use, then
 * at most once per interval per key, so a busy publisher key costs one small record a minute.
 */
@ApplicationScoped
public class KeyUses {
    private static final Logger LOG = Logger.getLogger(KeyUses.class);
    private final Map<String, Long> lastSent = new ConcurrentHashMap<>();
    private final KafkaSender sender;
    private final String service;
    private final long intervalMillis;

    public KeyUses(KafkaSender sender, @ConfigProperty(name = "quarkus.application.name") String service,
                   CommonSettings settings) {
        this.sender = sender;
        this.service = service;
        this.intervalMillis = settings.auth().lastUsedInterval().toMillis();
    }

    public void used(String keyId) {
        long now = System.currentTimeMillis();
        Long before = lastSent.get(keyId);
        if (before != null && now - before < intervalMillis) {
            return;
        }
        lastSent.put(keyId, now);
        String use = JsonCodec.encode(new ApiKeyUse(keyId, service, Instant.ofEpochMilli(now)));
        sender.send(List.of(new OutboundRecord(Topics.API_KEY_USES, keyId, use))).subscribe().with(
                sent -> { },
                failed -> {
                    lastSent.remove(keyId, now); // the next use tries again
                    LOG.debugf("could not publish the use of key %s: %s", keyId, failed);
                });
    }
}
