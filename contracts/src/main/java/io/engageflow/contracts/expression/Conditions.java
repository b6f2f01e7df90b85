package io.engageflow.contracts.expression;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.google.protobuf.Timestamp;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.checker.CelStandardDeclarations;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelErrorCode;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationListener;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelStandardFunctions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Conditions ({@code trigger.condition}, ContactFilter, GameplayFilter, Decision cases) are CEL expressions over the
 * variables {@code contact}, {@code trigger} and {@code steps}. Numbers compare across int and double
 * ({@code contact.properties.points >= 1000} holds for 1000.0), and nothing here throws: a condition that does not
 * compile or cannot be evaluated comes back as an error the caller turns into a validation error or a Failure path.
 *
 * <h2>Dates</h2>
 * {@code now} is the current time as a CEL timestamp: one instant for all the conditions of a {@link Session} (the
 * engine gives its decision time, {@link #session(Instant)}), else the time of the evaluation. CEL's
 * {@code timestamp("2026-11-26T07:30:00Z")} reads RFC 3339 text (a date alone is not one: complete it,
 * {@code timestamp(contact.properties.birthday + "T00:00:00Z")}), {@code duration("720h")} a duration in
 * h, m, s, ms; they add, subtract and compare:
 * {@code timestamp(contact.properties.signup) < now - duration("720h")} (signed up more than 30 days ago),
 * {@code now - timestamp(trigger.occurredAt) < duration("1h")}, and {@code now.getHours("Europe/Oslo") >= 9}
 * (accessors in UTC unless given a zone; {@code getDayOfWeek()} is 0 on Sunday). Text that is not a timestamp fails
 * the condition like any other evaluation error.
 *
 * <h2>Limits</h2>
 * A condition comes from whoever may write a definition (and, through a template in a filter's condition, from
 * trigger data), so what one may cost is bounded, and a condition past a bound fails like any other condition that
 * cannot be evaluated, with a reason that names the bound; nothing waits, throws or runs on.
 * <ul>
 *   <li>At validation (and again before evaluating): at most {@value #MAX_LENGTH} characters and
 *       {@value #MAX_NESTING} levels of nesting (CEL's parser recursion limit), which also bounds how deep the
 *       checker and the interpreter recurse.</li>
 *   <li>At evaluation, each evaluation, counted by CEL's evaluation listener after every sub-expression:
 *       {@value #MAX_ITERATIONS} iterations of {@code all}, {@code exists}, {@code exists_one}, {@code map} and
 *       {@code filter} together (CEL's own {@code comprehensionMaxIterations}); {@value #MAX_STEPS} evaluated
 *       sub-expressions; {@value #MAX_WORK} units of work, each value a sub-expression gives counting its size
 *       (a string's length, a list's or map's number of entries: what any operation on it may have to go through)
 *       and each {@code matches} the text's length times the pattern's RE2 instructions (at most
 *       {@value #MAX_REGEX_PROGRAM}); {@value #MAX_CREATED} characters and elements created (strings, lists and maps
 *       a call or a literal makes: what bounds memory, as {@code [s + s].map(a, [a + a].map(b, b + b))} doubles a
 *       string at each level); and, as a backstop for what the counters see only in part (an {@code ==} of two
 *       deeply nested values), 500 ms of the thread's CPU time, looked at every {@value #CPU_CHECK_EVERY}
 *       sub-expressions.</li>
 *   <li>A {@link Session} (the conditions one engine decision evaluates; a trigger's conditions, one per workflow of
 *       its type) shares ten evaluations' steps, work and created elements, and 1 s of CPU time, among all its
 *       evaluations, however many; past that its remaining conditions fail at once.</li>
 * </ul>
 * Measured (JDK 17, CPU time of the evaluating thread, median of 20 warm runs, on the shared 2-core development
 * machine under a load of 4 to 35): the nested comprehension over a 2,000-element list stops at the iteration limit
 * in 17 to 30 ms (135 ms the first time in a fresh JVM); a body that reaches the step limit first in 8 to 20 ms (70
 * cold); string doubling at the created limit in 1 to 11 ms; regex work at its limit (100,000 characters, 98
 * instructions) in about 95 ms; the CPU backstop stops a deep {@code ==} in a loop at about 800 ms (its limit, plus up
 * to {@value #CPU_CHECK_EVERY} sub-expressions that each go through a large input); a session that spends its steps
 * in about 110 ms, and any session within its 1 s of CPU plus that overshoot. An ordinary condition takes
 * microseconds. The backstop sits well above the cold figures: it is there for the work the counters do not see, not
 * to decide ordinary conditions.
 */
public final class Conditions {
    public static final List<String> VARIABLES = List.of("contact", "trigger", "steps");
    /** The current time, a CEL timestamp: one instant for a whole {@link Session}. */
    public static final String NOW = "now";

    /** Longest condition, in characters (Unicode code points). */
    public static final int MAX_LENGTH = 2_000;
    /**
     * Deepest nesting, CEL's parser recursion limit: 49 nested parentheses, field selections in a row or terms of a
     * {@code +} chain pass, 50 do not; {@code &&} and {@code ||} chains are balanced and hardly count.
     */
    public static final int MAX_NESTING = 50;
    /** Iterations of every comprehension of one evaluation together. */
    public static final int MAX_ITERATIONS = 10_000;
    /** Sub-expressions one evaluation may evaluate (a comprehension's body counts at each iteration). */
    public static final int MAX_STEPS = 100_000;
    /** Units of work of one evaluation: sizes of the values it goes through, and regex work. */
    public static final int MAX_WORK = 10_000_000;
    /** Characters of the strings and elements of the lists and maps one evaluation may create. */
    public static final int MAX_CREATED = 1_000_000;
    /** RE2 program size of a regular expression in {@code matches}. */
    public static final int MAX_REGEX_PROGRAM = 1_000;
    /** How often (in evaluated sub-expressions) the CPU time is looked at during an evaluation. */
    public static final int CPU_CHECK_EVERY = 256;
    private static final Duration MAX_CPU = Duration.ofMillis(500);
    /** A session's share: this many evaluations at their limits, and this much CPU time. */
    private static final int SESSION_FACTOR = 10;
    private static final Duration SESSION_CPU = Duration.ofSeconds(1);

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .maxExpressionCodePointSize(MAX_LENGTH)
            .maxParseRecursionDepth(MAX_NESTING)
            .comprehensionMaxIterations(MAX_ITERATIONS)
            .maxRegexProgramSize(MAX_REGEX_PROGRAM)
            .build();

    /** The meter of the evaluation running on this thread, for {@link #matches}. */
    private static final ThreadLocal<Meter> METER = new ThreadLocal<>();

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            // matches() as CEL has it, but metered: its cost is the text times the pattern, not the text alone (CEL
            // lets standard bindings be replaced only with its standard environment given piece by piece)
            .setStandardEnvironmentEnabled(false)
            .setStandardDeclarations(CelStandardDeclarations.newBuilder().build())
            .setStandardFunctions(CelStandardFunctions.newBuilder()
                    .excludeFunctions(CelStandardFunctions.StandardFunction.MATCHES).build())
            .addFunctionBindings(
                    CelFunctionBinding.from("matches", String.class, String.class, Conditions::matches),
                    CelFunctionBinding.from("matches_string", String.class, String.class, Conditions::matches))
            .addVar("contact", SimpleType.DYN)
            .addVar("trigger", SimpleType.DYN)
            .addVar("steps", SimpleType.DYN)
            .addVar(NOW, SimpleType.TIMESTAMP)
            .build();

    /**
     * What a compiled condition keeps, measured on CEL 0.14 (JDK 17, compressed oops): about 4 KiB a program plus
     * 50 bytes a character of source (130 for short ones, fixed part included); 64 a character is kept on the safe
     * side. 16 MiB (services run in a few hundred MiB of heap) holds some 3,000 ordinary conditions, or 120 of the
     * longest.
     */
    static final long CACHE_BYTES = 16L << 20;
    private static final CompiledCache<Compiled> COMPILED = new CompiledCache<>(Conditions::compile,
            CompiledCache.linear(4_096, 64), CACHE_BYTES);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean THREAD_CPU = THREADS.isCurrentThreadCpuTimeSupported();

    /** An expression compiled: its program, or why it is not a valid boolean condition. */
    private record Compiled(CelRuntime.Program program, String error) {
    }

    private Conditions() {
    }

    /** The outcome of evaluating a condition: whether it holds, or why it could not be decided. */
    public record Outcome(boolean holds, String error) {
        public boolean failed() {
            return error != null;
        }
    }

    /** Compile errors of a condition, empty when it is a valid boolean expression within the limits. */
    public static Optional<String> check(String expression) {
        if (expression == null || expression.isBlank()) {
            return Optional.of("condition is empty");
        }
        return Optional.ofNullable(compiled(expression).error());
    }

    /**
     * Evaluates a condition against contact, trigger and steps given as plain JSON-like maps, on its own budget;
     * {@code now} is the time of the call.
     */
    public static Outcome evaluate(String expression, Map<String, ?> variables) {
        return evaluate(expression, variables, Instant.now());
    }

    /** {@link #evaluate(String, Map)} with {@code now} that instant. */
    public static Outcome evaluate(String expression, Map<String, ?> variables, Instant now) {
        return new Session(1, now).evaluate(expression, variables);
    }

    /**
     * A session for the conditions of one engine decision, or of one trigger: see {@link Session}. {@code now} is the
     * time the session is made.
     */
    public static Session session() {
        return session(Instant.now());
    }

    /** {@link #session()} with {@code now} that instant (the engine's decision time) for all its conditions. */
    public static Session session(Instant now) {
        return new Session(SESSION_FACTOR, now);
    }

    /** Entries, estimated bytes and evictions of the compiled-condition cache. */
    public static CacheStats cacheStats() {
        return COMPILED.stats();
    }

    private static Compiled compiled(String expression) {
        if (expression.length() > MAX_LENGTH) {
            int length = expression.codePointCount(0, expression.length());
            if (length > MAX_LENGTH) { // refused before the cache: never compiled, never kept
                return new Compiled(null, "condition is " + length + " characters long; a condition has at most "
                        + MAX_LENGTH);
            }
        }
        return COMPILED.get(expression);
    }

    private static Compiled compile(String expression) {
        try {
            CelAbstractSyntaxTree ast = CEL.compile(expression).getAst();
            if (ast.getResultType() != SimpleType.BOOL && ast.getResultType() != SimpleType.DYN) {
                return new Compiled(null, "condition must be true or false, it is " + ast.getResultType().name());
            }
            return new Compiled(CEL.createProgram(ast), null);
        } catch (CelValidationException e) {
            String first = e.getMessage().lines().findFirst().orElse("invalid condition");
            if (first.contains("recursion limit exceeded")) {
                return new Compiled(null, "condition nests deeper than " + MAX_NESTING
                        + " levels (parentheses, calls and field selections)");
            }
            return new Compiled(null, first);
        } catch (CelEvaluationException e) {
            return new Compiled(null, "condition cannot be run: " + e.getMessage());
        }
    }

    /** CEL's {@code matches} (RE2), its cost counted before it runs. */
    private static boolean matches(String text, String regex) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression " + regex + ": " + e.getMessage(), e);
        }
        Meter meter = METER.get();
        if (pattern.programSize() > MAX_REGEX_PROGRAM) {
            throw new CostExceeded("condition exceeded its cost limit: the regular expression " + regex + " has "
                    + pattern.programSize() + " RE2 instructions, more than " + MAX_REGEX_PROGRAM);
        }
        if (meter != null) {
            meter.regex(text.length(), pattern.programSize());
        }
        return OPTIONS.enableRegexPartialMatch() ? pattern.matcher(text).find() : pattern.matcher(text).matches();
    }

    /**
     * Evaluations that share one cost budget and one conversion of their inputs: the conditions one engine decision
     * evaluates (a Decision's cases, and the Decisions a run passes in one go), or those of one trigger (one per
     * workflow of its type). Each evaluation keeps its own limits; the session adds a total, so that a definition
     * with hundreds of costly conditions cannot hold a partition for long. Inputs are converted to CEL's types once
     * per object (by identity), so they must not change during the session. Not thread-safe.
     */
    public static final class Session {
        private final long maxSteps;
        private final long maxWork;
        private final long maxCreated;
        private final long maxCpuNanos;
        private final String scope;
        /** {@code now} as CEL reads a timestamp. */
        private final Timestamp now;
        private long steps;
        private long work;
        private long created;
        private long cpuNanos;
        private final Map<Object, Object> converted = new IdentityHashMap<>();

        private Session(int evaluations, Instant now) {
            this.now = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
            this.maxSteps = (long) MAX_STEPS * evaluations;
            this.maxWork = (long) MAX_WORK * evaluations;
            this.maxCreated = (long) MAX_CREATED * evaluations;
            this.maxCpuNanos = (evaluations == 1 ? MAX_CPU : SESSION_CPU).toNanos();
            this.scope = evaluations == 1 ? "" : " (shared with the conditions evaluated with it)";
        }

        /** Evaluates a condition; its cost counts against this session's budget too. */
        public Outcome evaluate(String expression, Map<String, ?> variables) {
            Optional<String> invalid = check(expression);
            if (invalid.isPresent()) {
                return new Outcome(false, invalid.get());
            }
            if (steps >= maxSteps || work >= maxWork || created >= maxCreated || cpuNanos >= maxCpuNanos) {
                return new Outcome(false, "not evaluated: the conditions evaluated with it used up their shared cost"
                        + " limit");
            }
            Meter meter = new Meter(this);
            METER.set(meter);
            try {
                Map<String, Object> input = new LinkedHashMap<>();
                for (String name : VARIABLES) {
                    Object value = variables.get(name);
                    input.put(name, value == null ? Map.of() : toCel(value, converted));
                }
                input.put(NOW, now);
                Object result = compiled(expression).program().trace(input, meter);
                if (result instanceof Boolean b) {
                    return new Outcome(b, null);
                }
                return new Outcome(false, "condition gave " + result + ", not true or false");
            } catch (CelEvaluationException e) {
                CostExceeded exceeded = costExceeded(e);
                if (exceeded != null) {
                    return new Outcome(false, exceeded.getMessage());
                }
                if (e.getErrorCode() == CelErrorCode.ITERATION_BUDGET_EXCEEDED) {
                    return new Outcome(false, "condition exceeded its cost limit: more than " + MAX_ITERATIONS
                            + " iterations of all, exists, exists_one, map and filter in one evaluation");
                }
                return new Outcome(false, e.getMessage().lines().findFirst().orElse("evaluation failed"));
            } catch (RuntimeException e) {
                CostExceeded exceeded = costExceeded(e);
                return new Outcome(false, exceeded != null ? exceeded.getMessage()
                        : "evaluation failed: " + e.getMessage());
            } finally {
                METER.remove();
                meter.close();
            }
        }

        private static CostExceeded costExceeded(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CostExceeded c) {
                    return c;
                }
            }
            return null;
        }
    }

    /** Thrown to stop an evaluation; CEL hands it back as the cause of its evaluation exception. */
    private static final class CostExceeded extends RuntimeException {
        CostExceeded(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Counts what one evaluation does, from CEL's evaluation listener (called after every sub-expression) and from
     * {@link #matches}: each sub-expression is a step, and its value's size is work; a call's, list's or map's result
     * counts its size as created, except where it only hands back a value that exists already (an index, a
     * ternary). A comprehension's accumulator ({@code @result}, one element more an iteration, not a copy) counts
     * neither as work nor as created: the iteration limit bounds it.
     */
    private static final class Meter implements CelEvaluationListener {
        private final Session session;
        private final long stepLimit;
        private final long workLimit;
        private final long createdLimit;
        private final long cpuLimit;
        private final long cpuStart = cpuTime();
        private long steps;
        private long work;
        private long created;

        Meter(Session session) {
            this.session = session;
            this.stepLimit = Math.min(MAX_STEPS, session.maxSteps - session.steps);
            this.workLimit = Math.min(MAX_WORK, session.maxWork - session.work);
            this.createdLimit = Math.min(MAX_CREATED, session.maxCreated - session.created);
            this.cpuLimit = Math.min(MAX_CPU.toNanos(), session.maxCpuNanos - session.cpuNanos);
        }

        @Override
        public void callback(CelExpr expr, Object value) {
            if (++steps > stepLimit) {
                throw exceeded("more than " + stepLimit + " evaluation steps", stepLimit < MAX_STEPS);
            }
            CelExpr.ExprKind.Kind kind = expr.getKind();
            if (kind != CelExpr.ExprKind.Kind.IDENT || !expr.ident().name().startsWith("@")) {
                addWork(sizeOf(value));
            }
            if ((kind == CelExpr.ExprKind.Kind.CALL && createsItsResult(expr)) || kind == CelExpr.ExprKind.Kind.LIST
                    || kind == CelExpr.ExprKind.Kind.MAP || kind == CelExpr.ExprKind.Kind.STRUCT) {
                created += 1 + sizeOf(value);
                if (created > createdLimit) {
                    throw exceeded("it would create more than " + createdLimit
                            + " characters of strings and elements of lists and maps", createdLimit < MAX_CREATED);
                }
            }
            if (steps % CPU_CHECK_EVERY == 0 && cpuTime() - cpuStart > cpuLimit) {
                throw exceeded("more than " + Duration.ofNanos(cpuLimit).toMillis() + " ms of CPU time",
                        cpuLimit < MAX_CPU.toNanos());
            }
        }

        void regex(long textLength, long instructions) {
            addWork(textLength * instructions);
        }

        private void addWork(long units) {
            work += units;
            if (work > workLimit) {
                throw exceeded("more than " + workLimit + " units of work (sizes of the values it goes through,"
                        + " and text times pattern for matches)", workLimit < MAX_WORK);
            }
        }

        private CostExceeded exceeded(String what, boolean shared) {
            return new CostExceeded("condition exceeded its cost limit: " + what + (shared ? session.scope : ""));
        }

        /** Adds this evaluation's cost to its session's. */
        void close() {
            session.steps += Math.min(steps, stepLimit);
            session.work += Math.min(work, workLimit);
            session.created += Math.min(created, createdLimit);
            session.cpuNanos += cpuTime() - cpuStart;
        }

        private static boolean createsItsResult(CelExpr expr) {
            CelExpr.CelCall call = expr.call();
            String function = call.function();
            if (function.equals("_[_]") || function.equals("_?_:_")) {
                return false;
            }
            // map's and filter's accumulator: @result + [x], one element more an iteration, not a copy
            return !(function.equals("_+_") && !call.args().isEmpty()
                    && call.args().get(0).getKind() == CelExpr.ExprKind.Kind.IDENT
                    && call.args().get(0).ident().name().startsWith("@"));
        }

        private static long sizeOf(Object value) {
            if (value instanceof CharSequence s) {
                return s.length();
            }
            if (value instanceof Collection<?> c) {
                return c.size();
            }
            if (value instanceof Map<?, ?> m) {
                return m.size();
            }
            return 0;
        }

        private static long cpuTime() {
            return THREAD_CPU ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
        }
    }

    /**
     * CEL knows long, double, string, bool, list and map; JSON decoding yields ints, BigDecimals and nulls too. Each
     * map and list is converted once (by identity) for the session.
     */
    private static Object toCel(Object value, Map<Object, Object> converted) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof java.math.BigInteger bi) {
            return bi.longValue();
        }
        if (value instanceof Float || value instanceof java.math.BigDecimal) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof Map<?, ?> map) {
            Object done = converted.get(map);
            if (done != null) {
                return done;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (v != null) { // an absent key and a null one both fail has(): one rule for both
                    out.put(String.valueOf(k), toCel(v, converted));
                }
            });
            converted.put(map, out);
            return out;
        }
        if (value instanceof List<?> list) {
            Object done = converted.get(list);
            if (done != null) {
                return done;
            }
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                if (item != null) {
                    out.add(toCel(item, converted));
                }
            }
            converted.put(list, out);
            return out;
        }
        if (value instanceof java.time.temporal.TemporalAccessor || value instanceof Enum<?>) {
            return value.toString();
        }
        return value;
    }
}
