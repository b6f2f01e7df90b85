package io.engageflow.trigger.domain;

import io.engageflow.contracts.json.JsonCodec;
import java.util.List;
import java.util.Map;

/**
 * The size (UTF-8 bytes of its JSON text, escapes counted) and nesting depth of a decoded JSON value (maps, lists,
 * strings, numbers, booleans, null), found in one walk, and whether any of its texts holds U+0000, which
 * PostgreSQL cannot store in a text column.
 *
 * @param depth 0 for a scalar, 1 for an object or array of scalars, and so on
 */
record JsonShape(long bytes, int depth, boolean hasNul) {

    static JsonShape of(Object value) {
        Walk walk = new Walk();
        int depth = walk.visit(value);
        return new JsonShape(walk.bytes, depth, walk.nul);
    }

    /** Bytes of a string as JSON text: quotes, escapes and UTF-8. */
    static long textBytes(String s) {
        long bytes = 2L + JsonCodec.utf8Length(s);
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
                bytes += 1; // a two-character escape
            } else if (c < 0x20) {
                bytes += 5; // \\u00XX
            }
        }
        return bytes;
    }

    private static final class Walk {
        long bytes;
        boolean nul;

        int visit(Object value) {
            if (value instanceof Map<?, ?> map) {
                bytes += 2 + Math.max(0, map.size() - 1); // braces, commas
                int deepest = 0;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    bytes += text(String.valueOf(e.getKey())) + 1; // the key and its colon
                    deepest = Math.max(deepest, visit(e.getValue()));
                }
                return deepest + 1;
            }
            if (value instanceof List<?> list) {
                bytes += 2 + Math.max(0, list.size() - 1);
                int deepest = 0;
                for (Object item : list) {
                    deepest = Math.max(deepest, visit(item));
                }
                return deepest + 1;
            }
            if (value instanceof String s) {
                bytes += text(s);
            } else {
                bytes += String.valueOf(value).length(); // null, true, false, a number: ASCII
            }
            return 0;
        }

        private long text(String s) {
            if (s.indexOf('\0') >= 0) {
                nul = true;
            }
            return textBytes(s);
        }
    }
}
