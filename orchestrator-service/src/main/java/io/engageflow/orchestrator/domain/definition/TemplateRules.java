package io.engageflow.orchestrator.domain.definition;

import io.engageflow.contracts.expression.Templates;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Templates render values only: what a {@code {{…}}} tag may do, checked before {@link Templates} renders it.
 *
 * <p>A tag is a value {@code {{a.b}}} (also {@code {{{a.b}}}} and {@code {{&a.b}}}), a section over a value
 * {@code {{#a.b}}…{{/a.b}}} or {@code {{^a.b}}…{{/a.b}}}, or a comment {@code {{! …}}}; a name is {@code .} or
 * dotted keys of letters, digits, {@code _} and {@code -}. Anything else — an include {@code {{> …}}} (a file or a
 * classpath resource), a parent {@code {{< …}}}, a block {@code {{$ …}}}, a change of delimiters {@code {{= …=}}}
 * (which would hide the next tags from this check) — is refused by {@link #syntax}, at validation and again before
 * each rendering (a definition stored before this rule).
 *
 * <p>mustache.java reads a name on anything that is not a map through Java reflection: {@code {{trigger.data.tags
 * .clear}}} calls {@code ArrayList.clear()} on the trigger's data, {@code {{trigger.data.name.bytes}}} calls
 * {@code String.getBytes()}. Whether a name is a key or a Java member depends on the data, so {@link #dataOnly}
 * walks the template over the variables it is about to be rendered with, as mustache.java would look names up, and
 * refuses a template where any name would be looked up as a member of something that is not a map (a string, a
 * number, a boolean, a list) or would reach code (a function). Such a step renders nothing: the engine fails it.
 */
public final class TemplateRules {
    private static final Pattern NAME = Pattern.compile("\\.|[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    /** A string that is one value tag: {@link Templates} looks it up in maps and lists only, never renders it. */
    private static final Pattern WHOLE = Pattern.compile("^\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}$");
    private static final Pattern JAVA_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    /** The names of the methods and fields a class and its superclasses declare (one set a class: bounded). */
    private static final ClassValue<Set<String>> MEMBERS = new ClassValue<>() {
        @Override
        protected Set<String> computeValue(Class<?> type) {
            Set<String> names = new HashSet<>();
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    names.add(m.getName());
                }
                for (Field f : c.getDeclaredFields()) {
                    names.add(f.getName());
                }
            }
            return Set.copyOf(names);
        }
    };

    private TemplateRules() {
    }

    /** A tag of a template: its kind ({@code 0} for a value, else {@code # ^ / !}), its name, its section's body. */
    private record Tag(char kind, String name, List<Tag> body) {
    }

    /** Why the text's tags are not values only, if they are not. */
    public static Optional<String> syntax(String text) {
        try {
            parse(text);
            return Optional.empty();
        } catch (Refused e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Why the text cannot be rendered over these variables reading data only, if it cannot: its syntax, or a name
     * that would be looked up as a Java member, or a section that would run code.
     */
    public static Optional<String> dataOnly(String text, Map<String, ?> variables) {
        if (!Templates.isTemplate(text) || WHOLE.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            Deque<Object> scopes = new ArrayDeque<>();
            scopes.push(variables);
            new Walk().tags(parse(text), scopes);
            return Optional.empty();
        } catch (Refused e) {
            return Optional.of(e.getMessage());
        }
    }

    /** {@link #dataOnly} for every string of a config tree (maps and lists too). */
    public static Optional<String> dataOnly(Object value, Map<String, ?> variables) {
        if (value instanceof String s) {
            return dataOnly(s, variables);
        }
        if (value instanceof Map<?, ?> map) {
            for (Object v : map.values()) {
                Optional<String> refused = dataOnly(v, variables);
                if (refused.isPresent()) {
                    return refused;
                }
            }
        } else if (value instanceof List<?> list) {
            for (Object v : list) {
                Optional<String> refused = dataOnly(v, variables);
                if (refused.isPresent()) {
                    return refused;
                }
            }
        }
        return Optional.empty();
    }

    private static List<Tag> parse(String text) {
        Deque<List<Tag>> open = new ArrayDeque<>();
        Deque<String> openNames = new ArrayDeque<>();
        List<Tag> top = new ArrayList<>();
        List<Tag> current = top;
        int at = 0;
        while (true) {
            int start = text.indexOf("{{", at);
            if (start < 0) {
                break;
            }
            boolean triple = text.startsWith("{{{", start);
            int end = text.indexOf(triple ? "}}}" : "}}", start + (triple ? 3 : 2));
            if (end < 0) {
                throw new Refused("a template tag is not closed: " + excerpt(text.substring(start)));
            }
            String content = text.substring(start + (triple ? 3 : 2), end).trim();
            at = end + (triple ? 3 : 2);
            char kind = triple || content.isEmpty() ? 0 : content.charAt(0);
            switch (kind) {
                case '!' -> {
                    continue; // a comment renders nothing
                }
                case '>' -> throw new Refused("a template cannot include another ({{" + content + "}}): templates"
                        + " render values only");
                case '<' -> throw new Refused("a template cannot extend another ({{" + content + "}}): templates"
                        + " render values only");
                case '$' -> throw new Refused("a template has no blocks ({{" + content + "}}): templates render"
                        + " values only");
                case '=' -> throw new Refused("a template cannot change its delimiters ({{" + content + "}})");
                case '#', '^', '/', '&' -> content = content.substring(1).trim();
                default -> kind = 0;
            }
            if (kind == 0 || kind == '&') {
                // {{a.b | date "dd MMM"}} reads a.b: its filters are functions of the value (Templates.check)
                content = Templates.valueName(content);
            }
            if (!NAME.matcher(content).matches()) {
                throw new Refused("{{" + excerpt(text.substring(start, at)) + " names no value: a name is . or"
                        + " dotted keys such as trigger.data.city");
            }
            if (kind == '&') {
                kind = 0;
            }
            if (kind == '/') {
                if (openNames.isEmpty() || !openNames.peek().equals(content)) {
                    throw new Refused("template section {{/" + content + "}} closes no open section of that name");
                }
                openNames.pop();
                current = open.pop();
            } else if (kind == '#' || kind == '^') {
                Tag section = new Tag(kind, content, new ArrayList<>());
                current.add(section);
                open.push(current);
                openNames.push(content);
                current = section.body();
            } else {
                current.add(new Tag((char) 0, content, List.of()));
            }
        }
        if (!openNames.isEmpty()) {
            throw new Refused("template section {{#" + openNames.peek() + "}} is not closed");
        }
        return top;
    }

    private static String excerpt(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }

    /** Goes through the tags as mustache.java renders them, over the real values, without rendering. */
    private static final class Walk {
        private long work;

        void tags(List<Tag> tags, Deque<Object> scopes) {
            for (Tag tag : tags) {
                Object value = lookup(tag.name(), scopes);
                if (tag.kind() == '^') {
                    tags(tag.body(), scopes); // an inverted section renders its body in the same scopes
                } else if (tag.kind() == '#' && truthy(value)) {
                    Iterable<?> items = value instanceof Iterable<?> it ? it : List.of(value);
                    for (Object item : items) {
                        work += 1 + tag.body().size();
                        if (work > Templates.MAX_SECTION_WORK) {
                            throw new Refused("the template's sections do more than " + Templates.MAX_SECTION_WORK
                                    + " units of work");
                        }
                        scopes.push(item);
                        try {
                            tags(tag.body(), scopes);
                        } finally {
                            scopes.pop();
                        }
                    }
                }
            }
        }

        private static boolean truthy(Object value) {
            return value != null && !Boolean.FALSE.equals(value) && !"".equals(value)
                    && !(value instanceof Iterable<?> it && !it.iterator().hasNext());
        }

        /**
         * The value a name reads. Every scope is looked at (mustache.java stops at the first that has the name; any
         * of them may be the one): a map by its keys, anything else by its Java members, which is refused.
         */
        private static Object lookup(String name, Deque<Object> scopes) {
            if (name.equals(".")) {
                return code(scopes.peek(), name);
            }
            String[] parts = name.split("\\.");
            Object found = null;
            boolean hit = false;
            for (Object scope : scopes) { // innermost first
                if (scope instanceof Map<?, ?> map) {
                    if (map.containsKey(parts[0])) {
                        Object value = rest(map.get(parts[0]), parts, name);
                        if (!hit) {
                            found = value;
                            hit = true;
                        }
                    }
                } else {
                    member(scope, parts[0], name);
                }
            }
            return found;
        }

        private static Object rest(Object value, String[] parts, String name) {
            for (int i = 1; i < parts.length && value != null; i++) {
                code(value, name);
                if (value instanceof Map<?, ?> map) {
                    value = map.get(parts[i]);
                } else {
                    member(value, parts[i], name);
                    value = null; // mustache.java finds nothing there: the name renders empty
                }
            }
            return code(value, name);
        }

        private static Object code(Object value, String name) {
            if (value instanceof Function<?, ?> || value instanceof Callable<?> || value instanceof Runnable) {
                throw new Refused("{{" + name + "}} would run code: templates render values only");
            }
            return value;
        }

        private static void member(Object scope, String part, String name) {
            if (scope != null && hasMember(scope.getClass(), part)) {
                throw new Refused("{{" + name + "}} would read the Java member " + part + " of a " + kind(scope)
                        + " (" + scope.getClass().getName() + "), not a key: templates render values only");
            }
        }
    }

    private static String kind(Object value) {
        if (value instanceof CharSequence) {
            return "text";
        }
        if (value instanceof Number) {
            return "number";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        return value instanceof Iterable<?> ? "list" : "value";
    }

    /**
     * Whether mustache.java's reflection could find a member of that name: a method {@code name}, {@code getName} or
     * {@code isName}, or a field {@code name}, declared by the class or a superclass. Counted wider than it looks
     * (any arity, any visibility, {@code Object} included): refusing a harmless name costs a clear error, missing
     * one runs code.
     */
    static boolean hasMember(Class<?> type, String name) {
        if (!JAVA_NAME.matcher(name).matches()) {
            return false; // "0", "first-name": never a Java member
        }
        Set<String> members = MEMBERS.get(type);
        String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        return members.contains(name) || members.contains("get" + cap) || members.contains("is" + cap);
    }

    /** Why a template is refused; thrown inside this class only. */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
