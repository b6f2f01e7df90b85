package io.engageflow.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** How every service moves records: Kafka → PostgreSQL → Kafka (the delivery kit). */
@ConfigMapping(prefix = "engageflow.delivery")
public interface DeliverySettings {
    /**
     * How many times a record that fails for a reason other than an outage (broker or database unreachable) is
     * tried before it is parked on {@code <topic>.dlq}.
     */
    @WithDefault("3")
    int maxAttempts();

    /** First wait before trying a failed record again; doubles up to {@link #maxRetryDelay()}. */
    @WithDefault("100ms")
    Duration retryDelay();

    /** Longest wait between two tries while the broker or the database is unreachable (they are tried forever). */
    @WithDefault("5s")
    Duration maxRetryDelay();

    /**
     * Largest record a service publishes, in bytes (key and value, UTF-8). Stay below the broker's
     * {@code message.max.bytes} (1 MiB by default) and the producer's {@code max.request.size}.
     */
    @WithDefault("950000")
    int maxRecordBytes();

    /**
     * Kafka consumers per channel and process (each the owner of some of the topic's partitions, processing its
     * polls in turn). Used by the services' channel settings ({@code mp.messaging.incoming.<ch>.concurrency}).
     */
    @WithDefault("3")
    int consumers();

    /**
     * The longest a service takes to stop. Stopping is graceful (polls in hand finish, offsets are committed,
     * consumers leave their groups) but every Kafka consumer's close waits on the broker, one after the other; with
     * the broker gone that adds up to more than this, and the process then ends as a crash would (the JVM's exit
     * takes a second or two more, so a stop stays within 10 s): what was not
     * acknowledged is delivered again after the restart (at-least-once, made exactly-once in effect by the ids).
     */
    @WithDefault("7s")
    Duration stopDeadline();

    /**
     * The name this process's records carry in the header {@code engageflow-publisher} (every record the kit's
     * producer sends). Unset: no header. trigger-service's allow-list of {@code triggers.inbound} publishers
     * ({@code engageflow.triggers.publishers.<name>.workspaces}) identifies a publisher by it; the action services set
     * it so that the platform events they publish there can be let through.
     */
    Optional<String> publisher();

    /** The outbox: rows written with a change, published from memory after commit, deleted once acknowledged. */
    Outbox outbox();

    /**
     * Kafka producer settings of the kit's producer, on top of {@code kafka.*} (bootstrap servers, security) and the
     * kit's defaults: acks=all, idempotence on, linger.ms=1, batch.size=65536, no compression.
     */
    Map<String, String> producer();

    interface Outbox {
        /** A row older than this that is still in the outbox was left by a crash or an outage: the recovery sends it. */
        @WithDefault("10s")
        Duration recoveryAge();

        /** How often the recovery looks for such rows, and acknowledged rows are deleted. */
        @WithDefault("2s")
        Duration recoveryInterval();
    }
}
