package io.engageflow.runtime.config;

import io.engageflow.contracts.catalog.Category;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How an action service runs the commands it consumes (action-runtime's command pipeline and action registry). README
 * "Configuration" lists these settings; a test holds the two together.
 */
@ConfigMapping(prefix = "engageflow.actions")
public interface PipelineSettings {
    /** Which actions this service runs (CONTACT, REWARD, INTEGRATION), and so which command topic it reads. */
    Category category();

    /**
     * How long a claim without a result holds. A process renews the claims of its commands in flight every third of
     * this, so only a claim left by a crash (or a process cut off from the database) grows older; another delivery
     * of that command then claims it again and runs it again. Until then that command, and its partition, wait:
     * after a crash the partition stalls for up to this long, so it is short (renewal needs no more than a
     * database round trip every third of it); it bounds no call — a call may take longer, renewed all along.
     */
    @WithDefault("15s")
    Duration claimLease();

    /** Outside calls of one poll that run at the same time. */
    @WithDefault("16")
    int outsideConcurrency();

    /** How often a command claimed elsewhere (in flight on another replica, or left by a crash) is looked at again. */
    @WithDefault("250ms")
    Duration claimPollInterval();
}
