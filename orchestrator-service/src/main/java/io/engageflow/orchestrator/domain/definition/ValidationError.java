package io.engageflow.orchestrator.domain.definition;

/** One problem of a definition, with the JSON path it is at, e.g. {@code steps[1].config.offer}. */
public record ValidationError(String path, String message) {
}
