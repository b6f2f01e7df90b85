package io.engageflow.contracts.json;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** A decoded value or the reasons it could not be decoded; decoding never throws. */
public record Decoded<T>(T value, List<String> errors) {
    public static <T> Decoded<T> ok(T value) {
        return new Decoded<>(value, List.of());
    }

    public static <T> Decoded<T> failed(List<String> errors) {
        return new Decoded<>(null, List.copyOf(errors));
    }

    public static <T> Decoded<T> failed(String error) {
        return failed(List.of(error));
    }

    public boolean isOk() {
        return errors.isEmpty();
    }

    public Optional<T> toOptional() {
        return Optional.ofNullable(value);
    }

    public <R> Decoded<R> map(Function<T, R> f) {
        return isOk() ? ok(f.apply(value)) : failed(errors);
    }
}
