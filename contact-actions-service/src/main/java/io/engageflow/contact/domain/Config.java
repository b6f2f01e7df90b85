package io.engageflow.contact.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Reading resolved config values leniently: a list may arrive as a JSON list or a comma-separated string. */
public final class Config {
    private Config() {
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
            if (trimmed.startsWith("[")) {
                io.engageflow.contracts.json.JsonCodec.parse(trimmed).value().forEach(n -> out.add(n.asText()));
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
}
