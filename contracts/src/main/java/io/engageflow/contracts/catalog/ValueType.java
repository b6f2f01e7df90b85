package io.engageflow.contracts.catalog;

/** What a config value must be once its templates are resolved. */
public enum ValueType {
    STRING, NUMBER, BOOLEAN, LIST, MAP, CONDITION,
    /**
     * Search criteria of a query (SalesforceGetObject's {@code where}): a map of field to value, whose values may be
     * templates and are sent as escaped literals, or a fixed text clause, which may hold no template (data pasted
     * into a query's text would become query).
     */
    CRITERIA,
    ANY;

    /** Whether a JSON value as written in a definition can be of this type (a template string can be anything). */
    public boolean accepts(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof String s && s.contains("{{")) {
            return true;
        }
        return switch (this) {
            case STRING, CONDITION -> value instanceof String;
            case NUMBER -> ConfigValues.toNumber(value).isPresent();
            case BOOLEAN -> value instanceof Boolean || "true".equals(value) || "false".equals(value);
            case LIST -> value instanceof java.util.List<?> || value instanceof String;
            case MAP -> value instanceof java.util.Map<?, ?>;
            case CRITERIA -> value instanceof java.util.Map<?, ?> || value instanceof String;
            case ANY -> true;
        };
    }
}
