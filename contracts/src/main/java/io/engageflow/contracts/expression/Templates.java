package io.engageflow.contracts.expression;

import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Iteration;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.reflect.ReflectionObjectHandler;
import io.engageflow.contracts.json.JsonCodec;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{…}}} templates in string config values, rendered with mustache.java over {@code contact}, {@code trigger}
 * and {@code steps}. Values are not HTML-escaped (config is not HTML), lists and maps render as JSON (so
 * {@code {{steps.coupons.coupon_code}}} gives {@code ["A","B"]}), and a value that is a single template keeps the
 * type of what it names, so {@code "quantity": "{{trigger.data.count}}"} stays a number.
 *
 * <p>Limits (a template comes from whoever may write a definition): a template cannot include another
 * ({@code {{> name}}} would read a file of the service's classpath or working directory into the output); one
 * resolution ({@link #resolveAll} of a step's config, or one {@link #resolve}) writes at most
 * {@value #MAX_RENDERED} characters (a command carries under a million bytes anyway), and its sections
 * ({@code {{#list}}…{{/list}}}) do at most {@value #MAX_SECTION_WORK} units of work, an iteration counting one plus
 * the tags and texts directly inside the section, so nested sections over long lists stop early even when they write
 * nothing. Past a limit {@link TemplateLimitException} is thrown: the engine fails the step as it does for any
 * template it cannot render. Measured worst case (JDK 17, warm): about 5 ms to reach either limit.
 */
public final class Templates {
    private static final Pattern WHOLE = Pattern.compile("^\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}$");
    private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}");

    /** Characters one resolution may write. */
    public static final int MAX_RENDERED = 1_000_000;
    /** Section work of one resolution: per iteration, one plus the codes directly inside the section. */
    public static final int MAX_SECTION_WORK = 100_000;

    private static final DefaultMustacheFactory FACTORY = new DefaultMustacheFactory() {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new MustacheException(e);
            }
        }

        @Override
        public Mustache compilePartial(String name) {
            throw new MustacheException("a template cannot include another ({{> " + name + "}})");
        }

        @Override
        public Reader getReader(String resourceName) {
            throw new MustacheException("a template cannot include another (" + resourceName + ")");
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

            @Override
            public Writer iterate(Iteration iteration, Writer writer, Object object, List<Object> scopes) {
                int codes = iteration instanceof Code code && code.getCodes() != null ? code.getCodes().length : 0;
                return super.iterate((w, next, s) -> {
                    if (w instanceof Rendering rendering) {
                        rendering.sectionWork(1 + codes);
                    }
                    return iteration.next(w, next, s);
                }, writer, object, scopes);
            }
        });
    }

    /**
     * What a compiled template keeps, measured on mustache.java 0.9.14: under 1 KiB for a short one, 1 to 12 bytes a
     * character of source (text, or many tags); 16 a character is kept on the safe side. 8 MiB hold some 5,000
     * ordinary config strings.
     */
    static final long CACHE_BYTES = 8L << 20;
    private static final CompiledCache<Mustache> COMPILED = new CompiledCache<>(
            text -> FACTORY.compile(new StringReader(text), "config"), CompiledCache.linear(1_024, 16), CACHE_BYTES);

    /** A template went past {@link #MAX_RENDERED} or {@link #MAX_SECTION_WORK}. */
    public static final class TemplateLimitException extends RuntimeException {
        TemplateLimitException(String message) {
            super(message, null, false, false);
        }
    }

    /** The output of one resolution, and what it has spent. */
    private static final class Rendering extends Writer {
        private final StringBuilder out = new StringBuilder();
        private long written;
        private long sectionWork;

        /** Starts the next string of the resolution: the limits run on across its strings. */
        String take() {
            String text = out.toString();
            out.setLength(0);
            return text;
        }

        void sectionWork(int units) {
            sectionWork += units;
            if (sectionWork > MAX_SECTION_WORK) {
                throw new TemplateLimitException("the templates' sections do more than " + MAX_SECTION_WORK
                        + " units of work (an iteration counts one plus the tags inside its section)");
            }
        }

        @Override
        public void write(char[] chars, int off, int len) {
            written += len;
            if (written > MAX_RENDERED) {
                throw new TemplateLimitException("the templates would write more than " + MAX_RENDERED
                        + " characters");
            }
            out.append(chars, off, len);
        }

        @Override
        public void write(String s, int off, int len) {
            written += len;
            if (written > MAX_RENDERED) {
                throw new TemplateLimitException("the templates would write more than " + MAX_RENDERED
                        + " characters");
            }
            out.append(s, off, off + len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

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

    /** Why a string's template cannot be rendered whatever the data (e.g. an unclosed section), if it cannot. */
    public static Optional<String> check(String text) {
        if (!isTemplate(text) || WHOLE.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            COMPILED.get(text);
            return Optional.empty();
        } catch (MustacheException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /**
     * Resolves every template in a config tree (strings inside maps and lists too); the limits apply to the whole
     * tree.
     */
    public static Map<String, Object> resolveAll(Map<String, Object> config, Map<String, ?> variables) {
        return resolveAll(config, variables, new Rendering());
    }

    private static Map<String, Object> resolveAll(Map<String, Object> config, Map<String, ?> variables,
                                                  Rendering rendering) {
        Map<String, Object> out = new LinkedHashMap<>();
        config.forEach((k, v) -> out.put(k, resolveValue(v, variables, rendering)));
        return out;
    }

    public static Object resolveValue(Object value, Map<String, ?> variables) {
        return resolveValue(value, variables, new Rendering());
    }

    @SuppressWarnings("unchecked")
    private static Object resolveValue(Object value, Map<String, ?> variables, Rendering rendering) {
        if (value instanceof String s) {
            return resolve(s, variables, rendering);
        }
        if (value instanceof Map<?, ?> map) {
            return resolveAll((Map<String, Object>) map, variables, rendering);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(item -> resolveValue(item, variables, rendering)).toList();
        }
        return value;
    }

    /** One string: a whole-value template keeps its type; otherwise the rendered text. */
    public static Object resolve(String text, Map<String, ?> variables) {
        return resolve(text, variables, new Rendering());
    }

    private static Object resolve(String text, Map<String, ?> variables, Rendering rendering) {
        if (!text.contains("{{")) {
            return text;
        }
        Matcher whole = WHOLE.matcher(text);
        if (whole.matches()) {
            Object value = lookup(whole.group(1), variables);
            return value == null ? "" : value;
        }
        Mustache mustache = COMPILED.get(text);
        try {
            mustache.execute(rendering, variables);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof TemplateLimitException limit) {
                    throw limit; // as itself, not inside mustache's wrapping of what a tag threw
                }
            }
            throw e;
        }
        return rendering.take();
    }

    /** Entries, estimated bytes and evictions of the compiled-template cache. */
    public static CacheStats cacheStats() {
        return COMPILED.stats();
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
