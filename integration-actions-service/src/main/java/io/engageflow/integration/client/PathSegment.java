package io.engageflow.integration.client;

import java.nio.charset.StandardCharsets;

/**
 * A value from a step's config, a trigger or a connected app put into a URL path as exactly one segment: every byte
 * but RFC 3986's unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) is percent-encoded, so {@code /}, {@code ?},
 * {@code #} and {@code %} cannot add segments, a query or a fragment. {@code .} and {@code ..}, which a server may
 * resolve as "this" and "the parent" segment even when encoded, and the empty segment are refused.
 */
public final class PathSegment {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathSegment() {
    }

    /** The encoded segment, or {@link InvalidConfigValue} naming the setting. */
    public static String encode(String setting, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidConfigValue(setting + " is required");
        }
        if (value.equals(".") || value.equals("..")) {
            throw new InvalidConfigValue(setting + " may not be '" + value + "'");
        }
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }
}
