package io.engageflow.contracts.expression;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.reflect.ReflectionObjectHandler;
import io.engageflow.contracts.json.JsonCodec;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{…}}} templates in string config values, rendered with mustache.java over {@code contact}, {@code trigger}
 * and {@code steps}. Values are not HTML-escaped (config is not HTML), lists and maps render as JSON (so
 * {@code {{steps.coupons.coupon_code}}} gives {@code ["A","B"]}), and a value that is a single template keeps the
 * type of what it names, so {@code "quantity": "{{trigger.data.count}}"} stays a number.
 */
public final class Templates {
    private static final Pattern WHOLE = Pattern.compile("^\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}$");
    private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}");

    private static final DefaultMustacheFactory FACTORY = new DefaultMustacheFactory() {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new MustacheException(e);
            }
        }
    };

    static {
        FACTORY.setObjectHandler(new ReflectionObjectHandler() {
            @Override
            public String stringify(Object object) {
                if (object instanceof Map<?, ?> || object instanceof List<?>) {
                    return JsonCodec.encode(object);
                }
                if (object instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
                    return String.valueOf(d.longValue());
                }
                return super.stringify(object);
            }
        });
    }

    private static final CompiledCache<Mustache> COMPILED = new CompiledCache<>(
            text -> FACTORY.compile(new StringReader(text), "config"));

    private Templates() {
    }

    public static boolean isTemplate(Object value) {
        return value instanceof String s && s.contains("{{");
    }

    /** Whether any string in a config tree (maps and lists included) holds a template. */
    public static boolean anyTemplate(Object value) {
        if (value instanceof String s) {
            return s.contains("{{");
        }
        if (value instanceof Map<?, ?> map) {
            for (Object v : map.values()) {
                if (anyTemplate(v)) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof List<?> list) {
            for (Object v : list) {
                if (anyTemplate(v)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The dotted names a string refers to, e.g. {@code steps.coupons.coupon_code}. */
    public static List<String> references(String text) {
        List<String> refs = new ArrayList<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            refs.add(m.group(1));
        }
        return refs;
    }

    /** Resolves every template in a config tree (strings inside maps and lists too). */
    public static Map<String, Object> resolveAll(Map<String, Object> config, Map<String, ?> variables) {
        Map<String, Object> out = new LinkedHashMap<>();
        config.forEach((k, v) -> out.put(k, resolveValue(v, variables)));
        return out;
    }

    @SuppressWarnings("unchecked")
    public static Object resolveValue(Object value, Map<String, ?> variables) {
        if (value instanceof String s) {
            return resolve(s, variables);
        }
        if (value instanceof Map<?, ?> map) {
            return resolveAll((Map<String, Object>) map, variables);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(item -> resolveValue(item, variables)).toList();
        }
        return value;
    }

    /** One string: a whole-value template keeps its type; otherwise the rendered text. */
    public static Object resolve(String text, Map<String, ?> variables) {
        if (!text.contains("{{")) {
            return text;
        }
        Matcher whole = WHOLE.matcher(text);
        if (whole.matches()) {
            Object value = lookup(whole.group(1), variables);
            return value == null ? "" : value;
        }
        Mustache mustache = COMPILED.get(text);
        StringWriter out = new StringWriter();
        mustache.execute(out, variables);
        return out.toString();
    }

    /** The value at a dotted path through nested maps, or null. */
    public static Object lookup(String path, Map<String, ?> variables) {
        Object current = variables;
        for (String part : path.split("\\.")) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(part);
            } else if (current instanceof List<?> list && part.matches("\\d+")) {
                int i = Integer.parseInt(part);
                current = i < list.size() ? list.get(i) : null;
            } else {
                return null;
            }
        }
        return current;
    }
}
