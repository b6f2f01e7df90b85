package io.engageflow.trigger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What trigger-service can be configured with besides the shared settings (service-common's, the delivery kit's).
 * README "Configuration" lists these settings; a test holds the two together.
 *
 * <p>What a trigger may be, checked at the edge (HTTP and {@code triggers.inbound}) so that everything downstream can
 * hold it: a forwarded trigger travels inside every command of its instance (with the contact once, the step's
 * config and earlier outputs), which must stay under the broker's ~1 MB, and lives in the orchestrator's state.
 * Sizes are UTF-8 bytes, as the broker and PostgreSQL count them, never chars.
 */
@ConfigMapping(prefix = "engageflow.triggers")
public interface TriggerSettings {
    /**
     * Largest trigger in bytes: the record's value or the request body, and the trigger as forwarded. Over HTTP a
     * larger one is answered 413. Keep it well under a third of the broker's limit: a command carries the trigger
     * and the contact beside the step's config.
     */
    @WithDefault("262144")
    int maxBytes();

    /** Deepest JSON nesting of the trigger as forwarded, its own object counting 1 (contact.properties is 3). */
    @WithDefault("32")
    int maxDepth();

    /** Largest single value of {@code contact.properties} or {@code data}, in bytes of its JSON text. */
    @WithDefault("32768")
    int maxValueBytes();

    /** Most entries of {@code contact.properties}, and of {@code data}, each. */
    @WithDefault("200")
    int maxProperties();

    /**
     * How far before receipt {@code occurredAt} may lie: old enough for a platform's backlog, not a typo's year 1.
     * The contact snapshot is merged "as of" this time downstream.
     */
    @WithDefault("P366D")
    Duration maxAge();

    /**
     * How far after receipt {@code occurredAt} may lie: clock skew only. A snapshot dated in the future would keep
     * every later update of the contact from overwriting it until then, so this is small.
     */
    @WithDefault("PT1H")
    Duration maxAhead();

    /**
     * How long {@code POST /triggers} waits for the database and the broker (an outage) before it answers 503. The
     * trigger is kept once recorded: the outbox forwards it when the broker is back, and a retry answers duplicate.
     */
    @WithDefault("120s")
    Duration httpWait();

    /**
     * Deepest chain of workflows a trigger may continue ({@code causation.depth}: 1 for a platform event an instance
     * of an outside trigger caused). A deeper trigger starts nothing: it is taken for a loop (workflow A's step
     * starts B, whose step starts A, …), rejected on {@code triggers.rejected} with the reason, counted and logged
     * once per chain ({@link io.engageflow.trigger.domain.LoopGuard}).
     */
    @WithDefault("5")
    int maxCausationDepth();

    /**
     * The Kafka publishers of {@code triggers.inbound} and the workspaces each may publish for:
     * {@code engageflow.triggers.publishers.<name>.workspaces=acme,globex}, or {@code =*} for every workspace (the
     * action services' platform events: {@code contact-actions-service}, {@code reward-actions-service}, the names they
     * give in {@code engageflow.delivery.publisher}). None configured: every workspace is accepted (local runs). The
     * name is what the publisher puts in the record header {@code engageflow-publisher}; pair it with a Kafka user of
     * the same name that may write only {@code triggers.inbound} (deploy/k8s).
     */
    Map<String, Publisher> publishers();

    interface Publisher {
        /** The workspaces this publisher's triggers may belong to. */
        List<String> workspaces();
    }
}
