package io.engageflow.common.api;

import java.util.List;

/** A caller's mistake, answered with its HTTP status and the contract's error body. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final List<?> details;
    private final List<?> errors;

    public ApiException(int status, String code, String message, List<?> details) {
        this(status, code, message, details, null);
    }

    private ApiException(int status, String code, String message, List<?> details, List<?> errors) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details == null ? List.of() : details;
        this.errors = errors;
    }

    /** 422 with the validation errors under {@code errors} (the contract's name) and, as before, {@code details}. */
    public static ApiException invalid(String code, String message, List<?> errors) {
        return new ApiException(422, code, message, errors, errors);
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

    /** Validation errors, or null when the error has none. */
    public List<?> errors() {
        return errors;
    }
}
