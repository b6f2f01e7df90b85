package io.engageflow.contact;

import io.engageflow.testsupport.CommandDriver;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/**
 * Where every test of contact commands starts: a workspace of its own, so that no test sees another's contacts, lists
 * or messages, and a driver that sends the workspace's commands to contact-actions and reads their results.
 */
abstract class ContactCommands {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String COMMANDS = "actions.contact.commands";
    final String ws = "ws-" + UUID.randomUUID().toString().substring(0, 8);
    final CommandDriver driver = new CommandDriver(COMMANDS, ws);

    @AfterEach
    void closeDriver() {
        driver.close();
    }
}
