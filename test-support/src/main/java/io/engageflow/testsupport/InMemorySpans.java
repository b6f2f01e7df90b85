package io.engageflow.testsupport;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The spans the service under test exports, kept in memory for its tests to read (Quarkus adds a SpanExporter bean
 * to its SDK; with tracing off, as by default, nothing reaches it). A bean of this jar: a module whose tests inject
 * {@link InMemorySpanExporter} has the jar indexed in its test configuration
 * ({@code quarkus.index-dependency.test-support.group-id/artifact-id}).
 */
@ApplicationScoped
public class InMemorySpans {
    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
