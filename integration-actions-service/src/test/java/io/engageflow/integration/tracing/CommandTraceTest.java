package io.engageflow.integration.tracing;

import io.engageflow.testsupport.CommandDriver;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/**
 * What a tracing test reads about a command it sends: the result records on {@code actions.results} with their
 * headers, and the spans the service exported.
 */
abstract class CommandTraceTest {
    final String ws = "ws-" + UUID.randomUUID().toString().substring(0, 8);
    final CommandDriver driver = new CommandDriver("actions.integration.commands", ws);
    final ConsumerTask<String, String> results = driver.kafka().consumeStrings().fromTopics("actions.results");

    @Inject
    InMemorySpanExporter spans;

    @AfterEach
    void close() {
        results.close();
        driver.close();
    }
}
