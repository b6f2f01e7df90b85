package io.engageflow.runtime.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.ActionCatalog;
import io.engageflow.contracts.catalog.ActionSpec;
import io.engageflow.contracts.catalog.ConfigKey;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.contracts.catalog.ValueType;
import io.engageflow.contracts.json.Decoded;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a config record reads a command's config: each component is the config key of its name, read by its type the way
 * {@link ConfigValues} reads resolved values (templates turn values into text): {@code String} (blank is absent; with
 * {@link AsWritten} as the command holds it), {@code BigDecimal} (a number, absent when not one), {@code List} (of
 * texts), {@code Map} (absent when not one), {@code long} with {@link WholeAbove}, {@code boolean} (true or false, as a
 * flag or its text; false otherwise), {@code Object} (the value as sent, absent is null: a key of any type, or a
 * criteria, that the handler judges itself). A component must name a key the catalog declares for one of the
 * handler's actions, of a type that reads as the component's: a record that does not match the catalog stops the
 * service at start. Only {@link Required} and {@link WholeAbove} refuse a value; the errors become the step's
 * InvalidConfig.
 */
public final class ActionConfig<C> {
    /** A text the action cannot do without: absent or blank is the error {@code <key> is required}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface Required {
    }

    /** A whole number greater than {@code value()}: else {@code <key> must be a whole number above <value>, got …}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface WholeAbove {
        long value();
    }

    /**
     * A text read as the command holds it, {@code String.valueOf}: absent is {@code "null"}, blank stays blank. For a
     * key whose own reader says what is wrong with it (a condition's evaluator answers ConditionError), not the config.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface AsWritten {
    }

    private final RecordComponent[] components;
    private final Constructor<? extends C> constructor;

    private ActionConfig(Class<? extends C> type, Collection<ActionSpec> specs) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getSimpleName() + " is not a record");
        }
        components = type.getRecordComponents();
        List<String> problems = new ArrayList<>();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            types[i] = rc.getType();
            String problem = mismatch(rc, specs);
            if (problem != null) {
                problems.add(type.getSimpleName() + "." + rc.getName() + " " + problem);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        try {
            constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type.getSimpleName() + " has no canonical constructor", e);
        }
    }

    /** The reading of {@code type} for the given actions of the catalog; refuses a record that does not match them. */
    public static <C> ActionConfig<C> of(Class<? extends C> type, Collection<ActionSpec> specs) {
        return new ActionConfig<>(type, specs);
    }

    /** The command's config as the record, or the reasons it does not read as one. */
    public Decoded<C> decode(Map<String, Object> config) {
        List<String> errors = new ArrayList<>();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = read(components[i], config, errors);
        }
        if (!errors.isEmpty()) {
            return Decoded.failed(errors);
        }
        try {
            return Decoded.<C>ok(constructor.newInstance(values));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The step's Failure of a config that does not decode. */
    public static ActionOutcome invalid(Decoded<?> unread) {
        return ActionOutcome.failure(ErrorCodes.INVALID_CONFIG, String.join("; ", unread.errors()));
    }

    /**
     * The command's config as the handler's record, read anew (the typed handlers' defaults, for a caller other than
     * the pipeline, which decodes with the reading the registry checked at start).
     */
    static <C> Decoded<C> decode(TypedConfig<C> handler, Set<String> actions, ActionCommand command) {
        return ActionConfig.<C>of(handler.configType(command.action()), specs(actions)).decode(command.config());
    }

    /** The catalog entries of these actions (the unknown ones left out: the registry names them). */
    public static List<ActionSpec> specs(Collection<String> actions) {
        return actions.stream().flatMap(a -> ActionCatalog.find(a).stream()).toList();
    }

    private static Object read(RecordComponent rc, Map<String, Object> config, List<String> errors) {
        String key = rc.getName();
        Class<?> type = rc.getType();
        if (type == String.class) {
            if (rc.isAnnotationPresent(AsWritten.class)) {
                return String.valueOf(config.get(key));
            }
            String value = ConfigValues.string(config, key);
            if (value == null && rc.isAnnotationPresent(Required.class)) {
                errors.add(key + " is required");
            }
            return value;
        }
        if (type == long.class) {
            long above = rc.getAnnotation(WholeAbove.class).value();
            Long value = ConfigValues.wholeNumber(config, key).orElse(null);
            if (value == null || value <= above) {
                errors.add(key + " must be a whole number above " + above + ", got " + config.get(key));
                return 0L;
            }
            return value;
        }
        if (type == boolean.class) {
            return ConfigValues.flag(config, key, false);
        }
        if (type == Object.class) {
            return config.get(key);
        }
        if (type == BigDecimal.class) {
            return ConfigValues.number(config, key).orElse(null);
        }
        if (type == List.class) {
            return ConfigValues.list(config, key);
        }
        return config.get(key) instanceof Map<?, ?> map ? map : null; // Map, checked at start
    }

    /** Why a component cannot read a key of the catalog, or null. */
    private static String mismatch(RecordComponent rc, Collection<ActionSpec> specs) {
        Class<?> type = rc.getType();
        Set<ValueType> reads;
        if (type == String.class) {
            reads = Set.of(ValueType.STRING, ValueType.CONDITION);
        } else if (type == BigDecimal.class) {
            reads = Set.of(ValueType.NUMBER);
        } else if (type == long.class) {
            if (!rc.isAnnotationPresent(WholeAbove.class)) {
                return "is a long without @WholeAbove";
            }
            reads = Set.of(ValueType.NUMBER);
        } else if (type == boolean.class) {
            reads = Set.of(ValueType.BOOLEAN);
        } else if (type == Object.class) {
            reads = Set.of(ValueType.values());
        } else if (type == List.class) {
            reads = Set.of(ValueType.LIST);
        } else if (type == Map.class) {
            reads = Set.of(ValueType.MAP);
        } else {
            return "is a " + type.getSimpleName() + ", which no config key reads as";
        }
        List<ConfigKey> keys = specs.stream().flatMap(s -> s.key(rc.getName()).stream()).toList();
        if (keys.isEmpty()) {
            return "is no config key of " + specs.stream().map(ActionSpec::name).sorted().toList();
        }
        return keys.stream().allMatch(k -> reads.contains(k.type()) || k.type() == ValueType.ANY) ? null
                : "does not read the catalog's " + keys.get(0).type();
    }
}
