package io.engageflow.common.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The error body of every HTTP API: {@code {"error", "message", "details"}}. An invalid definition also carries its
 * validation errors as {@code errors: [{path, message}]}, the list the validate endpoint answers (CONTRACT.md).
 */
public record ErrorBody(String error, String message, List<?> details,
                        @JsonInclude(JsonInclude.Include.NON_NULL) List<?> errors) {
    public ErrorBody(String error, String message, List<?> details) {
        this(error, message, details, null);
    }
}
