package io.engageflow.common.api;

import java.util.List;

/** The error body of every HTTP API: {@code {"error", "message", "details"}}. */
public record ErrorBody(String error, String message, List<?> details) {
}
