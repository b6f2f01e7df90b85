package io.engageflow.integration.client;

import java.math.BigDecimal;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Builds SOQL from values without letting a value become query text: object and field names must be Salesforce API
 * names, a value is a literal (a string quoted and escaped by Salesforce's rules, a number, true/false or null), and
 * a value compared with the {@code Id} field must be a Salesforce id (15 or 18 letters and digits).
 *
 * <p>Escaping follows Salesforce's "Quoted String Escape Sequences": backslash before {@code \ ' "} and the
 * sequences {@code \n \r \t \b \f} for those characters. {@code _} and {@code %} are wildcards only in LIKE, which
 * nothing here builds, so they are left as they are.
 */
public final class Soql {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");
    /** A field, or a relationship path to one (Account.Owner.Email). */
    private static final Pattern FIELD = Pattern.compile(
            "[A-Za-z][A-Za-z0-9_]{0,79}(\\.[A-Za-z][A-Za-z0-9_]{0,79}){0,4}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{15}([A-Za-z0-9]{3})?");

    private Soql() {
    }

    /** An object's API name (Contact, Invoice__c, ns__Thing__c), or {@link InvalidConfigValue}. */
    public static String objectName(String type) {
        if (type == null || !NAME.matcher(type).matches()) {
            throw new InvalidConfigValue("objectType must be a Salesforce object API name (letters, digits and _), not "
                    + (type == null ? "nothing" : "'" + type + "'"));
        }
        return type;
    }

    /** {@code Field = literal AND …} for each entry, in the map's order. */
    public static String where(Map<?, ?> match) {
        if (match.isEmpty()) {
            throw new InvalidConfigValue("where needs at least one field");
        }
        StringJoiner clause = new StringJoiner(" AND ");
        for (Map.Entry<?, ?> e : match.entrySet()) {
            String field = String.valueOf(e.getKey());
            if (!FIELD.matcher(field).matches()) {
                throw new InvalidConfigValue("where: '" + field + "' is not a Salesforce field name");
            }
            Object value = e.getValue();
            if (field.equalsIgnoreCase("Id") && !(value instanceof String id && ID.matcher(id).matches())) {
                throw new InvalidConfigValue("where: Id must be a Salesforce id (15 or 18 letters and digits)");
            }
            clause.add(field + " = " + literal(field, value));
        }
        return clause.toString();
    }

    static String literal(String field, Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof Number n) {
            try {
                return new BigDecimal(n.toString()).toPlainString();
            } catch (NumberFormatException e) {
                throw new InvalidConfigValue("where: " + field + " is not a finite number");
            }
        }
        if (value instanceof String s) {
            return quote(s);
        }
        throw new InvalidConfigValue("where: " + field + " must be a text, a number, true/false or null");
    }

    /** A SOQL string literal: quoted, with Salesforce's escape sequences. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }
}
