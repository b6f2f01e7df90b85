package io.engageflow.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A trigger that could not be accepted, as published on {@code triggers.rejected}: the original text, why, and
 * where it came from.
 */
public record RejectedRecord(String reason, List<String> details, String original, String source,
                             Instant rejectedAt) {
    /** How much of the original text a rejection keeps: enough to see what was wrong, bounded for huge records. */
    public static final int MAX_ORIGINAL_CHARS = 10_000;

    public static RejectedRecord of(String reason, List<String> details, String payload, String source) {
        String original = payload == null ? null
                : payload.substring(0, Math.min(payload.length(), MAX_ORIGINAL_CHARS));
        return new RejectedRecord(reason, details, original, source, Instant.now());
    }
}
