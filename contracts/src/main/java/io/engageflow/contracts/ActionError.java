package io.engageflow.contracts;

/** Why an action took its Failure path. {@code code} is machine-readable (see {@link ErrorCodes}). */
public record ActionError(String code, String message) {
}
