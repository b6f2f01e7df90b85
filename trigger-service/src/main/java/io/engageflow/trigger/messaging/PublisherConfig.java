package io.engageflow.trigger.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import java.util.List;
import java.util.Map;

/**
 * The Kafka publishers of {@code triggers.inbound} and the workspaces each may publish for:
 * {@code engageflow.triggers.publishers.<name>.workspaces=acme,globex}, or {@code =*} for every workspace (the action
 * services' platform events: {@code contact-actions-service}, {@code reward-actions-service}, the names they give in
 * {@code engageflow.delivery.publisher}). None configured: every workspace is accepted
 * (local runs). The name is what the publisher puts in the record header {@value PublisherAllowList#HEADER}; pair it
 * with a Kafka user of the same name that may write only {@code triggers.inbound} (deploy/k8s).
 */
@ConfigMapping(prefix = "engageflow.triggers.publishers")
public interface PublisherConfig {
    @WithParentName
    Map<String, Publisher> publishers();

    interface Publisher {
        /** The workspaces this publisher's triggers may belong to. */
        List<String> workspaces();
    }
}
