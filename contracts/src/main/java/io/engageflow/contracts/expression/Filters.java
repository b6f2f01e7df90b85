package io.engageflow.contracts.expression;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Currency;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The filters of a template tag, {@code {{value | filter arg … | …}}}: a fixed list of functions of the value and
 * literal arguments (see {@link Templates} for the syntax and examples). A pipeline is parsed, arguments included, once
 * per tag text: an unknown filter, a wrong number of arguments or an invalid argument (a date pattern, a duration, a
 * zone, a currency) is refused at parse, hence at validation; at rendering only the data can be wrong, and a value a
 * filter cannot read fails the rendering with {@link Templates.TemplateValueException}.
 *
 * <p>The value a pipeline carries between filters is the data's own (a string, number, map, list, boolean, or null
 * when missing), a date ({@link LocalDate}) or a date-time ({@link ZonedDateTime}); at the end a date or date-time is
 * written as ISO-8601 text.
 */
final class Filters {
    /** The names a filter may have; any other is refused. */
    static final List<String> NAMES = List.of("default", "date", "format", "plus", "minus", "zone", "money");
    /** The name of the current time: the render's instant, never data. */
    static final String NOW = "now";

    private static final Pattern NAME = Pattern.compile("\\.|[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final Pattern PLAIN_NUMBER = Pattern.compile("[-+]?\\d{1,30}(\\.\\d{1,30})?");
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    /** Month and day names in date patterns are English. */
    private static final Locale DATE_LOCALE = Locale.ENGLISH;
    private static final Locale MONEY_LOCALE = Locale.US;
    /** Money rounds half up: 0.125 USD is $0.13. */
    static final RoundingMode MONEY_ROUNDING = RoundingMode.HALF_UP;
    /** Digits before the decimal point money accepts: beyond them a value is refused, not formatted. */
    private static final int MONEY_DIGITS = 30;
    /** ISO-8601 dates and date-times: 2026-11-26, 2026-11-26T07:30, 2026-11-26T07:30:27Z, …+01:00[Europe/Oslo]. */
    private static final DateTimeFormatter READ = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffsetId()
            .optionalStart().appendLiteral('[').parseCaseSensitive().appendZoneRegionId().appendLiteral(']')
            .toFormatter(Locale.ROOT).withResolverStyle(java.time.format.ResolverStyle.STRICT)
            .withChronology(java.time.chrono.IsoChronology.INSTANCE);

    private Filters() {
    }

    /** One filter with its arguments already read. */
    @FunctionalInterface
    private interface Filter {
        Object apply(Object value, String tag);
    }

    /** A literal argument: quoted ({@code "dd MMM"}, {@code 'friend'}) or bare ({@code P7D}, {@code 0}). */
    private record Arg(String text, boolean quoted) {
    }

    /**
     * A tag's value and filters.
     *
     * @param name    {@code now}, {@code .} or a dotted name such as {@code trigger.data.amount}
     * @param filters what is applied to the value, in order
     */
    record Pipeline(String tag, String name, List<Filter> filters) {
        boolean readsNow() {
            return name.equals(NOW);
        }

        /** The value through every filter, a date or date-time written as ISO-8601 text. */
        Object apply(Object value) {
            Object current = value;
            for (Filter filter : filters) {
                current = filter.apply(current, tag);
            }
            return text(current);
        }
    }

    /** Whether a tag's content is more than a name: filters, or the current time. */
    static boolean isPipeline(String content) {
        return content.indexOf('|') >= 0 || content.trim().equals(NOW);
    }

    /** The name a tag's content reads, before its first {@code |}. */
    static String valueName(String content) {
        int bar = content.indexOf('|');
        return (bar < 0 ? content : content.substring(0, bar)).trim();
    }

    /**
     * Parses a tag's content, {@code name | filter arg … | …}.
     *
     * @throws IllegalArgumentException why it is not a value with known filters and valid arguments
     */
    static Pipeline parse(String content) {
        String tag = "{{" + content.trim() + "}}";
        List<String> parts = splitBars(content, tag);
        String name = parts.get(0).trim();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(tag + " names no value: a name is . or dotted keys such as"
                    + " trigger.data.city, or now");
        }
        if (name.startsWith(NOW + ".")) {
            throw new IllegalArgumentException(tag + ": now is the current time and has no fields (format it:"
                    + " {{now | format \"yyyy\"}})");
        }
        List<Filter> filters = new ArrayList<>();
        for (int i = 1; i < parts.size(); i++) {
            List<Arg> words = words(parts.get(i));
            if (words.isEmpty()) {
                throw new IllegalArgumentException(tag + " has an empty filter between two |");
            }
            filters.add(filter(words.get(0), words.subList(1, words.size()), tag));
        }
        return new Pipeline(tag, name, List.copyOf(filters));
    }

    private static Filter filter(Arg nameArg, List<Arg> args, String tag) {
        String name = nameArg.text();
        if (nameArg.quoted() || !NAMES.contains(name)) {
            throw new IllegalArgumentException(tag + ": unknown filter " + name + "; the filters are "
                    + String.join(", ", NAMES));
        }
        switch (name) {
            case "default" -> {
                arity(name, args, 1, 1, tag, "a value, e.g. default \"friend\"");
                Object fallback = literal(args.get(0));
                return (value, t) -> missing(value) ? fallback : value;
            }
            case "date" -> {
                arity(name, args, 0, 1, tag, "an optional pattern, e.g. date \"dd MMM\"");
                if (args.isEmpty()) {
                    return (value, t) -> {
                        Object date = readDate(value, t);
                        return date instanceof ZonedDateTime z ? z.toLocalDate() : date;
                    };
                }
                return formatter(args.get(0), tag);
            }
            case "format" -> {
                arity(name, args, 1, 1, tag, "a pattern, e.g. format \"yyyy-MM-dd HH:mm\"");
                return formatter(args.get(0), tag);
            }
            case "plus", "minus" -> {
                arity(name, args, 1, 1, tag, "an ISO-8601 duration, e.g. " + name + " P7D or " + name + " PT2H");
                Amount amount = amount(args.get(0).text(), name.equals("minus"), tag);
                return (value, t) -> amount.addTo(readDate(value, t), t);
            }
            case "zone" -> {
                arity(name, args, 1, 1, tag, "a time zone, e.g. zone \"Europe/Oslo\"");
                ZoneId zone;
                try {
                    zone = ZoneId.of(args.get(0).text());
                } catch (DateTimeException e) {
                    throw new IllegalArgumentException(tag + ": zone " + args.get(0).text() + " is not a time zone"
                            + " (a region such as Europe/Oslo, UTC, or an offset such as +02:00)");
                }
                return (value, t) -> {
                    Object date = readDate(value, t);
                    if (date instanceof ZonedDateTime z) {
                        return z.withZoneSameInstant(zone);
                    }
                    return date == null ? null : ((LocalDate) date).atStartOfDay(zone);
                };
            }
            case "money" -> {
                arity(name, args, 1, 2, tag, "a currency and an optional locale, e.g. money \"USD\" or"
                        + " money \"EUR\" \"de-DE\"");
                return money(args.get(0).text(), args.size() > 1 ? args.get(1).text() : null, tag);
            }
            default -> throw new IllegalStateException(name); // NAMES and this switch list the same names
        }
    }

    private static void arity(String name, List<Arg> args, int min, int max, String tag, String takes) {
        if (args.size() < min || args.size() > max) {
            throw new IllegalArgumentException(tag + ": " + name + " takes " + takes);
        }
    }

    /** A missing value: absent, null or empty text. */
    private static boolean missing(Object value) {
        return value == null || (value instanceof CharSequence s && s.length() == 0);
    }

    /** A quoted argument is text; a bare one a whole number, a decimal, true, false, or else text. */
    private static Object literal(Arg arg) {
        String text = arg.text();
        if (arg.quoted()) {
            return text;
        }
        if (INTEGER.matcher(text).matches()) {
            return Long.parseLong(text);
        }
        if (PLAIN_NUMBER.matcher(text).matches()) {
            return Double.parseDouble(text);
        }
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        return text;
    }

    private static Filter formatter(Arg pattern, String tag) {
        DateTimeFormatter format;
        try {
            format = DateTimeFormatter.ofPattern(pattern.text(), DATE_LOCALE);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(tag + ": \"" + pattern.text() + "\" is not a date pattern ("
                    + e.getMessage() + "); patterns are java.time's, e.g. \"yyyy-MM-dd\", \"dd MMM yyyy HH:mm\"");
        }
        return (value, t) -> {
            Object date = readDate(value, t);
            if (date == null) {
                return null;
            }
            try {
                return format.format((TemporalAccessor) date);
            } catch (DateTimeException e) {
                throw new Templates.TemplateValueException(t + ": cannot write " + text(date) + " with \""
                        + pattern.text() + "\": " + e.getMessage() + (date instanceof LocalDate
                        ? " (a date has no time of day)" : ""));
            }
        };
    }

    /**
     * A date ({@link LocalDate}) or date-time ({@link ZonedDateTime}; without an offset it is UTC), or null when the
     * value is missing.
     */
    private static Object readDate(Object value, String tag) {
        if (missing(value)) {
            return null;
        }
        if (value instanceof ZonedDateTime || value instanceof LocalDate) {
            return value;
        }
        if (value instanceof Instant i) {
            return i.atZone(ZoneOffset.UTC);
        }
        if (value instanceof OffsetDateTime o) {
            return o.toZonedDateTime();
        }
        if (value instanceof CharSequence s && s.length() <= 100) {
            try {
                TemporalAccessor read = READ.parseBest(s.toString().trim(), ZonedDateTime::from,
                        LocalDateTime::from, LocalDate::from);
                return read instanceof LocalDateTime local ? local.atZone(ZoneOffset.UTC) : read;
            } catch (DateTimeParseException e) {
                // below: one message for every value that is not a date
            }
        }
        throw new Templates.TemplateValueException(tag + ": " + shown(value) + " is not an ISO-8601 date or date-time"
                + " (such as 2026-11-26 or 2026-11-26T07:30:00Z)");
    }

    /** What plus or minus adds: calendar years, months and days, then an exact time. */
    private record Amount(Period period, Duration time) {
        Object addTo(Object date, String tag) {
            if (date == null) {
                return null;
            }
            try {
                if (date instanceof LocalDate d && time.isZero()) {
                    return d.plus(period);
                }
                ZonedDateTime z = date instanceof LocalDate d ? d.atStartOfDay(ZoneOffset.UTC) : (ZonedDateTime) date;
                return z.plus(period).plus(time);
            } catch (DateTimeException | ArithmeticException e) {
                throw new Templates.TemplateValueException(tag + ": " + text(date) + " moved by " + period + " "
                        + time + " is out of range");
            }
        }
    }

    /** {@code P1Y2M3W4DT5H6M7.5S}, any part optional, a leading {@code -} for the past; minus negates it again. */
    private static Amount amount(String text, boolean negate, String tag) {
        boolean negative = text.startsWith("-");
        String unsigned = negative || text.startsWith("+") ? text.substring(1) : text;
        int t = unsigned.indexOf('T');
        String datePart = t < 0 ? unsigned : unsigned.substring(0, t);
        try {
            if (!unsigned.startsWith("P") || unsigned.equals("P")) {
                throw new DateTimeParseException("not a duration", text, 0);
            }
            Period period = datePart.equals("P") ? Period.ZERO : Period.parse(datePart);
            Duration time = t < 0 ? Duration.ZERO : Duration.parse("PT" + unsigned.substring(t + 1));
            return negative != negate ? new Amount(period.negated(), time.negated()) : new Amount(period, time);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(tag + ": " + text + " is not an ISO-8601 duration such as P7D, PT2H,"
                    + " P1M or P1DT12H");
        }
    }

    private static Filter money(String code, String localeTag, String tag) {
        Currency currency;
        try {
            currency = Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(tag + ": " + code + " is not an ISO 4217 currency code such as USD");
        }
        Locale locale = MONEY_LOCALE;
        if (localeTag != null) {
            try {
                locale = new Locale.Builder().setLanguageTag(localeTag).build();
            } catch (IllformedLocaleException e) {
                throw new IllegalArgumentException(tag + ": " + localeTag + " is not a locale such as en-US or de-DE");
            }
        }
        int digits = Math.max(currency.getDefaultFractionDigits(), 0);
        NumberFormat prototype = NumberFormat.getCurrencyInstance(locale);
        prototype.setCurrency(currency);
        prototype.setRoundingMode(MONEY_ROUNDING);
        prototype.setMinimumFractionDigits(digits);
        prototype.setMaximumFractionDigits(digits);
        return (value, t) -> {
            if (missing(value)) {
                return null;
            }
            BigDecimal amount = decimal(value, t);
            // rounded before formatting: -0.001 is $0.00, not -$0.00
            BigDecimal rounded = amount.setScale(digits, MONEY_ROUNDING);
            NumberFormat format = (NumberFormat) prototype.clone(); // a NumberFormat is not thread-safe
            return format.format(rounded.signum() == 0 ? rounded.abs() : rounded);
        };
    }

    /** A number, or text that is a plain decimal number, within {@value #MONEY_DIGITS} digits before the point. */
    private static BigDecimal decimal(Object value, String tag) {
        BigDecimal amount = null;
        if (value instanceof BigDecimal d) {
            amount = d;
        } else if (value instanceof BigInteger i) {
            amount = new BigDecimal(i);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            amount = BigDecimal.valueOf(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                amount = value instanceof Float f ? new BigDecimal(f.toString()) : BigDecimal.valueOf(d);
            }
        } else if (value instanceof CharSequence s && PLAIN_NUMBER.matcher(s.toString().trim()).matches()) {
            amount = new BigDecimal(s.toString().trim());
        }
        if (amount == null) {
            throw new Templates.TemplateValueException(tag + ": " + shown(value) + " is not an amount (a number such"
                    + " as 25 or 25.50)");
        }
        int integerDigits = amount.precision() - amount.scale();
        if (integerDigits > MONEY_DIGITS) {
            throw new Templates.TemplateValueException(tag + ": the amount has more than " + MONEY_DIGITS
                    + " digits before the decimal point");
        }
        // far below a cent: zero, without rounding through a scale of millions (1E-999999999)
        return integerDigits < -MONEY_DIGITS ? BigDecimal.ZERO : amount;
    }

    /** A value in an error: text quoted (its first 40 characters), a number or boolean as it is, else its kind. */
    private static String shown(Object value) {
        if (value instanceof CharSequence s) {
            return "\"" + (s.length() <= 40 ? s : s.subSequence(0, 40) + "…") + "\"";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return value instanceof Iterable<?> ? "a list" : "a map";
    }

    /** A date or date-time as ISO-8601 text (a date-time with its offset, Z in UTC); anything else as it is. */
    static Object text(Object value) {
        if (value instanceof ZonedDateTime z) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(z);
        }
        if (value instanceof LocalDate d) {
            return DateTimeFormatter.ISO_LOCAL_DATE.format(d);
        }
        return value;
    }

    /** The render's instant as the value of {@code now}: a date-time in UTC. */
    static ZonedDateTime now(Instant instant) {
        return instant.atZone(ZoneOffset.UTC);
    }

    /** The content split at each {@code |} outside quotes. */
    private static List<String> splitBars(String content, String tag) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        char quote = 0;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '|') {
                parts.add(content.substring(start, i));
                start = i + 1;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException(tag + " has a quote (" + quote + ") that is not closed");
        }
        parts.add(content.substring(start));
        return parts;
    }

    /** A filter's name and arguments, each bare or in quotes (no escapes: "…" may hold ', '…' may hold "). */
    private static List<Arg> words(String part) {
        List<Arg> words = new ArrayList<>();
        int i = 0;
        while (i < part.length()) {
            char c = part.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'') {
                int end = part.indexOf(c, i + 1); // closed: splitBars has checked
                words.add(new Arg(part.substring(i + 1, end), true));
                i = end + 1;
            } else {
                int end = i;
                while (end < part.length() && !Character.isWhitespace(part.charAt(end))
                        && part.charAt(end) != '"' && part.charAt(end) != '\'') {
                    end++;
                }
                words.add(new Arg(part.substring(i, end), false));
                i = end;
            }
        }
        return words;
    }
}
