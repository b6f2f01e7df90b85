package io.engageflow.contracts.expression;

import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Iteration;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.reflect.ReflectionObjectHandler;
import com.github.mustachejava.util.GuardException;
import com.github.mustachejava.util.Wrapper;
import io.engageflow.contracts.json.JsonCodec;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{…}}} templates in string config values, rendered with mustache.java over {@code contact}, {@code trigger}
 * and {@code steps}. Values are not HTML-escaped (config is not HTML), lists and maps render as JSON (so
 * {@code {{steps.coupons.coupon_code}}} gives {@code ["A","B"]}), and a value that is a single template keeps the
 * type of what it names, so {@code "quantity": "{{trigger.data.count}}"} stays a number.
 *
 * <h2>The clock and filters</h2>
 * {@code {{now}}} is the current time: one instant for a whole resolution (a step's config), the one the caller gives
 * ({@link #resolveAll(Map, Map, Instant)}; the engine gives its decision time) or else the time of the call. A value
 * tag may pass its value through filters, {@code {{value | filter arg … | filter …}}}, applied left to right.
 * Arguments are literals, bare ({@code P7D}, {@code USD}, {@code 0}) or quoted ({@code "dd MMM"}, {@code 'friend'};
 * no escapes). The filters are a fixed list; any other name, a wrong number of arguments or an invalid argument is
 * refused by {@link #check} (hence at validation) and when rendering:
 * <table>
 *   <caption>Filters</caption>
 *   <tr><th>filter</th><th>does</th><th>example (now = 2026-11-26T07:30:27Z)</th><th>gives</th></tr>
 *   <tr><td>{@code default V}</td><td>V when the value is missing (absent, null or ""); a bare V that is a number or
 *     true/false keeps that type in a single-tag value</td><td>{@code {{trigger.data.nickname | default "friend"}}}
 *     </td><td>{@code friend}</td></tr>
 *   <tr><td>{@code date}</td><td>the value as a date (a date-time's date in its zone)</td>
 *     <td>{@code {{now | date}}}</td><td>{@code 2026-11-26}</td></tr>
 *   <tr><td>{@code date "pattern"}, {@code format "pattern"}</td><td>a date or date-time written with a java.time
 *     pattern (DateTimeFormatter; English month and day names)</td>
 *     <td>{@code {{contact.properties.birthday | date "dd MMM"}}}</td><td>{@code 14 Mar}</td></tr>
 *   <tr><td>{@code plus D}, {@code minus D}</td><td>moves a date or date-time by an ISO-8601 duration: years,
 *     months, weeks and days by the calendar of its zone, then hours, minutes and seconds exactly; {@code -P1D} is
 *     backwards</td><td>{@code {{now | plus P7D | format "yyyy-MM-dd"}}}</td><td>{@code 2026-12-03}</td></tr>
 *   <tr><td>{@code zone Z}</td><td>the date-time in zone Z (a region such as Europe/Oslo, UTC, or an offset such as
 *     +02:00); a date becomes the start of that day there</td>
 *     <td>{@code {{now | zone "Europe/Oslo" | format "HH:mm"}}}</td><td>{@code 08:30}</td></tr>
 *   <tr><td>{@code money C [locale]}</td><td>a number, or text that is a plain decimal number, as an amount of
 *     currency C (ISO 4217) in the locale (BCP 47, en-US unless given), rounded half up to the currency's
 *     digits</td><td>{@code {{trigger.data.amount | money "USD"}}} with 25</td><td>{@code $25.00}</td></tr>
 * </table>
 * A date or date-time is read from ISO-8601 text: a date ({@code 2026-11-26}), or a date-time with an offset
 * ({@code 2026-11-26T07:30:27Z}, {@code …+01:00}, {@code …+01:00[Europe/Oslo]}) or without (then UTC). Dates are in
 * UTC unless a {@code zone} filter says otherwise; what is still a date or date-time at the end of the filters is
 * written as ISO-8601 ({@code 2026-11-26}, {@code 2026-11-26T07:30:27Z}, {@code 2026-11-27T08:30:27+01:00}), which
 * Delay's {@code until} reads: {@code "until": "{{now | plus PT2H}}"}. A missing value goes through every filter but
 * {@code default} as missing, so {@code {{contact.properties.born | date "dd MMM" | default "?"}}} gives {@code ?}.
 * A value a filter cannot read (text that is not a date, an amount that is not a number, or with more than 30
 * digits before the point) fails the rendering with {@link TemplateValueException}, naming the tag.
 *
 * <p>Templates render values only: a filter is a function of the value and its literal arguments, never a Java member
 * or a lookup; {@code now} is the clock wherever it is written ({@code now.year} is refused with filters, and reads
 * data without), and a section ({@code {{#…}}}, {@code {{^…}}}) cannot be over {@code now} or a filtered value (its
 * body would be rendered over text).
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
    private static final Pattern REFERENCE = Pattern.compile(
            "\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*(?:\\|[^{}]*)?}}");
    /** A string that is one value tag, with filters or not: its content. */
    private static final Pattern WHOLE_TAG = Pattern.compile("^\\{\\{(?![{#^/!>&=<$])([^{}]*)}}$");

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
        FACTORY.setObjectHandler(new ValuesHandler());
    }

    /**
     * mustache.java's lookups, plus {@code now} and filters: a tag whose name is a {@link Filters pipeline} reads its
     * value as any tag does (or the render's instant) and hands it through the filters. What a pipeline gives is
     * marked {@link Filtered}, written as a value and refused as a section, whose body would be rendered over text.
     */
    private static final class ValuesHandler extends ReflectionObjectHandler {
        @Override
        public Wrapper find(String name, List<Object> scopes) {
            if (!Filters.isPipeline(name)) {
                return super.find(name, scopes);
            }
            Filters.Pipeline pipeline = pipeline(name);
            boolean data = !pipeline.readsNow() && !pipeline.name().equals(".");
            return new PipelineWrapper(this, pipeline, data ? super.find(pipeline.name(), scopes) : null);
        }

        Wrapper findValue(String name, List<Object> scopes) {
            return super.find(name, scopes);
        }

        @Override
        public String stringify(Object object) {
            if (object instanceof Filtered filtered) {
                return stringify(filtered.value());
            }
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
            notASection(object);
            int codes = iteration instanceof Code code && code.getCodes() != null ? code.getCodes().length : 0;
            return super.iterate((w, next, s) -> {
                if (w instanceof Rendering rendering) {
                    rendering.sectionWork(1 + codes);
                }
                return iteration.next(w, next, s);
            }, writer, object, scopes);
        }

        @Override
        public Writer falsey(Iteration iteration, Writer writer, Object object, List<Object> scopes) {
            notASection(object);
            return super.falsey(iteration, writer, object, scopes);
        }

        private static void notASection(Object object) {
            if (object instanceof Filtered) {
                throw new MustacheException(SECTION_OVER_FILTER);
            }
        }
    }

    private static final String SECTION_OVER_FILTER = "a section is over a value as it is: now and filters render"
            + " values only";

    /** What a pipeline gave, as a value of the rendering. */
    private record Filtered(Object value) {
    }

    /** A pipeline's tag: its value looked up as mustache.java would (again where the scopes differ), then filtered. */
    private static final class PipelineWrapper implements Wrapper {
        private final ValuesHandler handler;
        private final Filters.Pipeline pipeline;
        private volatile Wrapper value;

        PipelineWrapper(ValuesHandler handler, Filters.Pipeline pipeline, Wrapper value) {
            this.handler = handler;
            this.pipeline = pipeline;
            this.value = value;
        }

        @Override
        public Object call(List<Object> scopes) {
            Object read;
            if (pipeline.readsNow()) {
                read = Filters.now(renderTime(scopes));
            } else if (value == null) { // {{. | …}}: the innermost scope
                read = scopes.get(scopes.size() - 1);
            } else {
                Wrapper wrapper = value;
                try {
                    read = wrapper.call(scopes);
                } catch (GuardException e) { // other scopes than the ones it was found for
                    wrapper = handler.findValue(pipeline.name(), scopes);
                    value = wrapper;
                    read = wrapper.call(scopes);
                }
                read = handler.coerce(read);
            }
            Object out = pipeline.apply(read);
            return out == null ? null : new Filtered(out);
        }

        private static Instant renderTime(List<Object> scopes) {
            for (Object scope : scopes) {
                if (scope instanceof RenderTime time) {
                    return time.now;
                }
            }
            throw new IllegalStateException("a template rendered without its time");
        }
    }

    /**
     * The instant {@code now} reads, the outermost scope of a rendering: a map with no keys, so no name finds it, and
     * mustache.java reads a map by its keys only.
     */
    private static final class RenderTime extends AbstractMap<String, Object> {
        private final Instant now;

        RenderTime(Instant now) {
            this.now = now;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return Set.of();
        }
    }

    /** Parsed filters by tag content; errors are not kept. */
    private static final CompiledCache<Filters.Pipeline> PIPELINES = new CompiledCache<>(Filters::parse,
            CompiledCache.linear(1_024, 16), 1L << 20);

    private static Filters.Pipeline pipeline(String content) {
        try {
            return PIPELINES.get(content.trim());
        } catch (IllegalArgumentException e) {
            throw new MustacheException(e.getMessage());
        }
    }

    /**
     * What a compiled template keeps, measured on mustache.java 0.9.14: under 1 KiB for a short one, 1 to 12 bytes a
     * character of source (text, or many tags); 16 a character is kept on the safe side. 8 MiB hold some 5,000
     * ordinary config strings.
     */
    static final long CACHE_BYTES = 8L << 20;
    private static final CompiledCache<Mustache> COMPILED = new CompiledCache<>(Templates::compile,
            CompiledCache.linear(1_024, 16), CACHE_BYTES);

    /** A template went past {@link #MAX_RENDERED} or {@link #MAX_SECTION_WORK}. */
    public static final class TemplateLimitException extends RuntimeException {
        TemplateLimitException(String message) {
            super(message, null, false, false);
        }
    }

    /** A value a filter cannot read (a date that is not one, an amount that is not a number), when rendering. */
    public static final class TemplateValueException extends RuntimeException {
        TemplateValueException(String message) {
            super(message, null, false, false);
        }
    }

    /** The output of one resolution, and what it has spent. */
    private static final class Rendering extends Writer {
        private final StringBuilder out = new StringBuilder();
        /** What {@code now} is throughout the resolution. */
        private final RenderTime time;
        private long written;
        private long sectionWork;

        Rendering(Instant now) {
            this.time = new RenderTime(now);
        }

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

    /**
     * The dotted names a string refers to, e.g. {@code steps.coupons.coupon_code}; a tag with filters refers to the
     * name before its first {@code |}, and {@code now} is no reference (it is the clock).
     */
    public static List<String> references(String text) {
        List<String> refs = new ArrayList<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals(Filters.NOW)) {
                refs.add(m.group(1));
            }
        }
        return refs;
    }

    /**
     * The name a value tag's content reads: {@code trigger.data.amount} for {@code trigger.data.amount | money "USD"},
     * the content itself when it has no filters. Its filters are checked by {@link #check}.
     */
    public static String valueName(String tagContent) {
        return Filters.valueName(tagContent);
    }

    /**
     * Why a string's template cannot be rendered whatever the data (e.g. an unclosed section, an unknown filter or a
     * filter's invalid argument), if it cannot.
     */
    public static Optional<String> check(String text) {
        if (!isTemplate(text) || (WHOLE.matcher(text).matches() && !isNow(text))) {
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
     * tree, and {@code now} is the time of the call throughout.
     */
    public static Map<String, Object> resolveAll(Map<String, Object> config, Map<String, ?> variables) {
        return resolveAll(config, variables, Instant.now());
    }

    /** {@link #resolveAll(Map, Map)} with {@code now} that instant throughout (the engine's decision time). */
    public static Map<String, Object> resolveAll(Map<String, Object> config, Map<String, ?> variables, Instant now) {
        return resolveAll(config, variables, new Rendering(now));
    }

    private static Map<String, Object> resolveAll(Map<String, Object> config, Map<String, ?> variables,
                                                  Rendering rendering) {
        Map<String, Object> out = new LinkedHashMap<>();
        config.forEach((k, v) -> out.put(k, resolveValue(v, variables, rendering)));
        return out;
    }

    public static Object resolveValue(Object value, Map<String, ?> variables) {
        return resolveValue(value, variables, Instant.now());
    }

    /** {@link #resolveValue(Object, Map)} with {@code now} that instant throughout. */
    public static Object resolveValue(Object value, Map<String, ?> variables, Instant now) {
        return resolveValue(value, variables, new Rendering(now));
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

    /** One string: a whole-value template keeps its type; otherwise the rendered text. {@code now}: the call's time. */
    public static Object resolve(String text, Map<String, ?> variables) {
        return resolve(text, variables, Instant.now());
    }

    /** {@link #resolve(String, Map)} with {@code now} that instant. */
    public static Object resolve(String text, Map<String, ?> variables, Instant now) {
        return resolve(text, variables, new Rendering(now));
    }

    private static boolean isNow(String wholeTag) {
        Matcher m = WHOLE.matcher(wholeTag);
        return m.matches() && m.group(1).equals(Filters.NOW);
    }

    private static Object resolve(String text, Map<String, ?> variables, Rendering rendering) {
        if (!text.contains("{{")) {
            return text;
        }
        Matcher whole = WHOLE_TAG.matcher(text);
        if (whole.matches() && Filters.isPipeline(whole.group(1))) {
            // one tag with filters: evaluated here, the value read from maps and lists only, as a plain whole tag is
            Filters.Pipeline pipeline = pipeline(whole.group(1));
            Object read = pipeline.readsNow() ? Filters.now(rendering.time.now)
                    : pipeline.name().equals(".") ? variables : lookup(pipeline.name(), variables);
            Object value = pipeline.apply(read);
            return value == null ? "" : value;
        }
        whole = WHOLE.matcher(text);
        if (whole.matches()) {
            Object value = lookup(whole.group(1), variables);
            return value == null ? "" : value;
        }
        Mustache mustache = COMPILED.get(text);
        try {
            List<Object> scopes = new ArrayList<>(2);
            scopes.add(rendering.time);
            scopes.add(variables);
            mustache.execute(rendering, scopes);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof TemplateLimitException limit) {
                    throw limit; // as itself, not inside mustache's wrapping of what a tag threw
                }
                if (t instanceof TemplateValueException value) {
                    throw value;
                }
            }
            throw e;
        }
        return rendering.take();
    }

    /** Compiles a template, its filters checked first (mustache.java would look them up only when rendering). */
    private static Mustache compile(String text) {
        checkTags(text);
        return FACTORY.compile(new StringReader(text), "config");
    }

    /**
     * Parses the filters of every value tag, and refuses a section over {@code now} or a filtered value. Tags are read
     * as mustache.java reads them, up to a change of delimiters (refused by the engine's rules; a section over a
     * filtered value is refused when rendering too).
     */
    private static void checkTags(String text) {
        int at = 0;
        while (true) {
            int start = text.indexOf("{{", at);
            if (start < 0) {
                return;
            }
            boolean triple = text.startsWith("{{{", start);
            int end = text.indexOf(triple ? "}}}" : "}}", start + (triple ? 3 : 2));
            if (end < 0) {
                return; // mustache.java reports the tag that is not closed
            }
            String content = text.substring(start + (triple ? 3 : 2), end).trim();
            at = end + (triple ? 3 : 2);
            char kind = triple || content.isEmpty() ? 0 : content.charAt(0);
            switch (kind) {
                case '=':
                    return;
                case '!', '>', '<', '$', '/':
                    continue;
                case '#', '^':
                    if (Filters.isPipeline(content.substring(1))) {
                        throw new MustacheException("{{" + content + "}}: " + SECTION_OVER_FILTER);
                    }
                    continue;
                case '&':
                    content = content.substring(1).trim();
                    // fall through: a value
                default:
                    if (Filters.isPipeline(content)) {
                        pipeline(content);
                    }
            }
        }
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
