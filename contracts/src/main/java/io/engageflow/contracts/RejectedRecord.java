package io.engageflow.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A record that could not be accepted, as published on {@code triggers.rejected} and
 * {@code actions.commands.rejected}: the original text, why, and where it came from.
 */
public record RejectedRecord(String reason, List<String> details, String original, String source,
                             Instant rejectedAt) {
}
