package io.engageflow.contracts.catalog;

/** One config key of an action: its type, whether it is required, and the default that applies when absent. */
public record ConfigKey(String name, ValueType type, boolean required, Object defaultValue) {
    public static ConfigKey required(String name, ValueType type) {
        return new ConfigKey(name, type, true, null);
    }

    public static ConfigKey optional(String name, ValueType type) {
        return new ConfigKey(name, type, false, null);
    }

    public static ConfigKey withDefault(String name, ValueType type, Object defaultValue) {
        return new ConfigKey(name, type, false, defaultValue);
    }
}
