package io.engageflow.contracts.catalog;

import io.engageflow.contracts.json.JsonCodec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads resolved config values as actions need them. Templates turn values into text, so a number may arrive as
 * {@code "3"}, a flag as {@code "true"}, a list as {@code ["a","b"]} text or {@code "a, b"}.
 */
public final class ConfigValues {
    private ConfigValues() {
    }

    public static String string(Map<String, Object> config, String key) {
        Object v = config.get(key);
        return v == null || String.valueOf(v).isBlank() ? null : String.valueOf(v);
    }

    public static List<String> list(Map<String, Object> config, String key) {
        Object v = config.get(key);
        List<String> out = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            c.forEach(item -> out.add(String.valueOf(item)));
        } else if (v instanceof String s && !s.isBlank()) {
            String trimmed = s.trim();
            var parsed = trimmed.startsWith("[") ? JsonCodec.parse(trimmed) : null;
            if (parsed != null && parsed.isOk() && parsed.value().isArray()) {
                parsed.value().forEach(n -> out.add(n.asText()));
            } else {
                for (String part : trimmed.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.trim());
                    }
                }
            }
        }
        return out;
    }

    /** A number, or empty when absent or not a number. */
    public static Optional<BigDecimal> number(Map<String, Object> config, String key) {
        return toNumber(config.get(key));
    }

    /**
     * The one reading of a number for validation and execution alike: a JSON number, or text such as "25", " 2.5 "
     * or a money amount written "$25" (the reference writes card values that way).
     */
    public static Optional<BigDecimal> toNumber(Object v) {
        if (v instanceof Number n) {
            return Optional.of(new BigDecimal(n.toString()));
        }
        if (v instanceof String s && !s.isBlank()) {
            String text = s.trim();
            text = text.startsWith("$") ? text.substring(1).trim() : text;
            try {
                return Optional.of(new BigDecimal(text));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** A whole number, or empty when absent, not a number or not whole. */
    public static Optional<Long> wholeNumber(Map<String, Object> config, String key) {
        return number(config, key).flatMap(ConfigValues::whole);
    }

    /** The number as a whole number, or empty when it has a fraction. */
    public static Optional<Long> whole(BigDecimal number) {
        return Optional.of(number).filter(n -> n.stripTrailingZeros().scale() <= 0).map(BigDecimal::longValueExact);
    }

    public static boolean flag(Map<String, Object> config, String key, boolean fallback) {
        Object v = config.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        return fallback;
    }
}
