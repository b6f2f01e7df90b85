package io.engageflow.common.api;

import java.util.List;

/** A caller's mistake, answered with its HTTP status and the contract's error body. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final List<?> details;

    public ApiException(int status, String code, String message, List<?> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details == null ? List.of() : details;
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " not found", List.of());
    }

    public static ApiException badRequest(String message, List<?> details) {
        return new ApiException(400, "bad_request", message, details);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<?> details() {
        return details;
    }
}
