package io.engageflow.contracts.expression;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Conditions ({@code trigger.condition}, ContactFilter, GameplayFilter, Decision cases) are CEL expressions over the
 * variables {@code contact}, {@code trigger} and {@code steps}. Numbers compare across int and double
 * ({@code contact.properties.points >= 1000} holds for 1000.0), and nothing here throws: a condition that does not
 * compile or cannot be evaluated comes back as an error the caller turns into a validation error or a Failure path.
 */
public final class Conditions {
    public static final List<String> VARIABLES = List.of("contact", "trigger", "steps");

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true).build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("contact", SimpleType.DYN)
            .addVar("trigger", SimpleType.DYN)
            .addVar("steps", SimpleType.DYN)
            .build();

    private static final CompiledCache<Compiled> COMPILED = new CompiledCache<>(Conditions::compile);

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

    /** Compile errors of a condition, empty when it is a valid boolean expression. */
    public static Optional<String> check(String expression) {
        if (expression == null || expression.isBlank()) {
            return Optional.of("condition is empty");
        }
        return Optional.ofNullable(COMPILED.get(expression).error());
    }

    /** Evaluates a condition against contact, trigger and steps given as plain JSON-like maps. */
    public static Outcome evaluate(String expression, Map<String, ?> variables) {
        Optional<String> invalid = check(expression);
        if (invalid.isPresent()) {
            return new Outcome(false, invalid.get());
        }
        try {
            Map<String, Object> input = new LinkedHashMap<>();
            for (String name : VARIABLES) {
                Object value = variables.get(name);
                input.put(name, value == null ? Map.of() : toCel(value));
            }
            Object result = COMPILED.get(expression).program().eval(input);
            if (result instanceof Boolean b) {
                return new Outcome(b, null);
            }
            return new Outcome(false, "condition gave " + result + ", not true or false");
        } catch (CelEvaluationException e) {
            return new Outcome(false, e.getMessage().lines().findFirst().orElse("evaluation failed"));
        } catch (RuntimeException e) {
            return new Outcome(false, "evaluation failed: " + e.getMessage());
        }
    }

    private static Compiled compile(String expression) {
        try {
            CelAbstractSyntaxTree ast = CEL.compile(expression).getAst();
            if (ast.getResultType() != SimpleType.BOOL && ast.getResultType() != SimpleType.DYN) {
                return new Compiled(null, "condition must be true or false, it is " + ast.getResultType().name());
            }
            return new Compiled(CEL.createProgram(ast), null);
        } catch (CelValidationException e) {
            return new Compiled(null, e.getMessage().lines().findFirst().orElse("invalid condition"));
        } catch (CelEvaluationException e) {
            return new Compiled(null, "condition cannot be run: " + e.getMessage());
        }
    }

    /** CEL knows long, double, string, bool, list and map; JSON decoding yields ints, BigDecimals and nulls too. */
    static Object toCel(Object value) {
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
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (v != null) { // an absent key and a null one both fail has(): one rule for both
                    out.put(String.valueOf(k), toCel(v));
                }
            });
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                if (item != null) {
                    out.add(toCel(item));
                }
            }
            return out;
        }
        if (value instanceof java.time.temporal.TemporalAccessor || value instanceof Enum<?>) {
            return value.toString();
        }
        return value;
    }
}
