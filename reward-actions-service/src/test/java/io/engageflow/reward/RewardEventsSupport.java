package io.engageflow.reward;

import io.engageflow.testsupport.CommandDriver;
import io.engageflow.testsupport.PlatformEventReader;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/**
 * What a test of reward commands and the platform events they publish works with: a workspace of its own, a driver
 * of the service's commands, and a reader of the events published, both closed after each test.
 */
abstract class RewardEventsSupport {
    /** How long a test waits for what must happen: generous, as CI runs everything on two loaded cores. */
    static final Duration WAIT = Duration.ofSeconds(30);
    final String ws = "ws-" + UUID.randomUUID().toString().substring(0, 8);
    final CommandDriver driver = new CommandDriver("actions.reward.commands", ws);
    final PlatformEventReader published = new PlatformEventReader(driver.kafka());

    @AfterEach
    void close() {
        published.close();
        driver.close();
    }
}
