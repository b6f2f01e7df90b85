package io.engageflow.contracts.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.mustachejava.MustacheException;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Dates, defaults and money in templates ({@code {{value | filter arg}}}) and the clock in conditions ({@code now},
 * CEL's timestamp and duration), as a definition uses them: exact outputs at a fixed instant, the errors validation
 * gives, and what a value a filter cannot read does when rendering.
 */
class DatesAndFiltersTest {
    /** Thursday 26 November 2026, 07:30:27 UTC (08:30:27 in Oslo). */
    private static final Instant NOW = Instant.parse("2026-11-26T07:30:27Z");

    private static final ContactSnapshot ANN = new ContactSnapshot("c-42", "ann@example.com", null, "Ann", null,
            Map.of("birthday", "1990-03-14", "signup", "2026-10-01T09:00:00Z", "empty", ""));
    private static final Map<String, Object> VARS = Variables.of(ANN, new TriggerEvent("e1", "Order.Placed", "acme",
            Instant.parse("2026-11-25T18:05:00Z"), ANN, Map.of("amount", 25, "nickname", "Annie", "items",
                    List.of(Map.of("price", 1), Map.of("price", 2.5)))), Map.of());

    private static Object render(String template) {
        return Templates.resolve(template, VARS, NOW);
    }

    private static Object render(String template, Map<String, Object> data) {
        return Templates.resolve(template, Variables.of(ANN, new TriggerEvent("e2", "Order.Placed", "acme", NOW, ANN,
                data), Map.of()), NOW);
    }

    @Test
    void nowIsTheRenderInstantAndMovesByIsoDurations() {
        assertThat(render("{{now}}")).isEqualTo("2026-11-26T07:30:27Z");
        assertThat(render("Completed at {{ now }}.")).isEqualTo("Completed at 2026-11-26T07:30:27Z.");
        assertThat(render("{{now | plus P7D | format \"yyyy-MM-dd\"}}")).isEqualTo("2026-12-03");
        assertThat(render("{{now | minus PT90M}}")).isEqualTo("2026-11-26T06:00:27Z");
        assertThat(render("{{now | plus P1DT2H30M}}")).isEqualTo("2026-11-27T10:00:27Z");
        assertThat(render("{{now | plus -P1D}}")).isEqualTo("2026-11-25T07:30:27Z");
        assertThat(render("{{now | minus P1Y2M}}")).isEqualTo("2025-09-26T07:30:27Z");
        // a month from 31 January is the last day of February
        assertThat(render("{{trigger.data.at | plus P1M | date}}", Map.of("at", "2027-01-31T12:00:00Z")))
                .isEqualTo("2027-02-28");
        assertThat(render("{{now | format \"EEEE d MMMM yyyy, HH:mm:ss\"}}"))
                .isEqualTo("Thursday 26 November 2026, 07:30:27");
        assertThat(render("{{now | date}}")).isEqualTo("2026-11-26");
    }

    @Test
    void aDelayUntilTemplateRendersAnInstantTheEngineCanRead() {
        Object until = Templates.resolve("{{now | plus PT2H}}", VARS, NOW);
        assertThat(Instant.parse((String) until)).isEqualTo(NOW.plus(Duration.ofHours(2)));
        Object inOslo = Templates.resolve("{{now | zone \"Europe/Oslo\" | plus P1D}}", VARS, NOW);
        assertThat(inOslo).isEqualTo("2026-11-27T08:30:27+01:00");
        assertThat(Instant.parse((String) inOslo)).isEqualTo(NOW.plus(Duration.ofDays(1)));
    }

    @Test
    void oneResolutionReadsTheClockOnce() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("subject", "{{now | format \"HH:mm:ss.SSSSSSSSS\"}}");
        config.put("properties", Map.of("profile_complete_date", "{{now}}", "note", "at {{now}}"));
        Map<String, Object> at = Templates.resolveAll(config, VARS, NOW);
        assertThat(at).isEqualTo(Map.of("subject", "07:30:27.000000000", "properties",
                Map.of("profile_complete_date", "2026-11-26T07:30:27Z", "note", "at 2026-11-26T07:30:27Z")));

        // without an instant given: the time of the call, the same in every string of the config
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            many.put("k" + i, i % 2 == 0 ? "{{now}}" : "{{now | format \"yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSX\"}}");
        }
        Map<String, Object> resolved = Templates.resolveAll(many, VARS);
        Instant first = Instant.parse((String) resolved.get("k0"));
        assertThat(resolved.values()).allSatisfy(v -> assertThat(Instant.parse((String) v)).isEqualTo(first));
    }

    @Test
    void zonesAreUtcUnlessGivenAndCalendarDaysFollowTheZonesClock() {
        assertThat(render("{{trigger.occurredAt | date \"dd MMM yyyy HH:mm\"}}")).isEqualTo("25 Nov 2026 18:05");
        assertThat(render("{{trigger.occurredAt | zone \"Europe/Oslo\" | date \"dd MMM yyyy HH:mm z\"}}"))
                .isEqualTo("25 Nov 2026 19:05 CET");
        assertThat(render("{{now | zone \"America/New_York\" | format \"yyyy-MM-dd HH:mm xxx\"}}"))
                .isEqualTo("2026-11-26 02:30 -05:00");
        assertThat(render("{{now | zone \"+05:30\"}}")).isEqualTo("2026-11-26T13:00:27+05:30");
        // without an offset a date-time is UTC
        assertThat(render("{{trigger.data.at | zone \"Europe/Oslo\" | format \"HH:mm\"}}",
                Map.of("at", "2026-11-26T10:00"))).isEqualTo("11:00");
        // summer time starts in Oslo on 28 March 2027 at 01:00 UTC: a calendar day keeps the wall clock, 24 hours
        // do not
        Map<String, Object> beforeDst = Map.of("at", "2027-03-27T12:00:00Z");
        assertThat(render("{{trigger.data.at | zone \"Europe/Oslo\" | plus P1D}}", beforeDst))
                .isEqualTo("2027-03-28T13:00:00+02:00");
        assertThat(render("{{trigger.data.at | zone \"Europe/Oslo\" | plus PT24H}}", beforeDst))
                .isEqualTo("2027-03-28T14:00:00+02:00");
        // in UTC the same day is 24 hours
        assertThat(render("{{trigger.data.at | plus P1D}}", beforeDst)).isEqualTo("2027-03-28T12:00:00Z");
        // a date in a zone is the start of that day there
        assertThat(render("{{contact.properties.birthday | zone \"Europe/Oslo\"}}"))
                .isEqualTo("1990-03-14T00:00:00+01:00");
    }

    @Test
    void datesReadIsoDatesAndDateTimesAndFormatThemInEnglish() {
        assertThat(render("Happy birthday on {{contact.properties.birthday | date \"dd MMM\"}}!"))
                .isEqualTo("Happy birthday on 14 Mar!");
        assertThat(render("{{contact.properties.birthday | date \"EEEE\"}}")).isEqualTo("Wednesday");
        assertThat(render("{{contact.properties.birthday | plus P1Y}}")).isEqualTo("1991-03-14");
        // a date with a time added becomes a date-time from the start of the day, in UTC
        assertThat(render("{{contact.properties.birthday | plus PT9H}}")).isEqualTo("1990-03-14T09:00:00Z");
        assertThat(render("{{contact.properties.signup | plus P30D | date \"yyyy-MM-dd\"}}")).isEqualTo("2026-10-31");
        assertThat(render("{{trigger.data.at | date}}", Map.of("at", "2026-11-26T23:30:00-05:00")))
                .isEqualTo("2026-11-26");
        assertThat(render("{{trigger.data.at | zone UTC | date}}", Map.of("at", "2026-11-26T23:30:00-05:00")))
                .isEqualTo("2026-11-27");
    }

    @Test
    void aMissingValueRendersEmptyOrItsDefault() {
        assertThat(render("Hi {{trigger.data.nickname | default \"friend\"}}")).isEqualTo("Hi Annie");
        assertThat(render("Hi {{trigger.data.nick | default \"friend\"}}")).isEqualTo("Hi friend");
        assertThat(render("Hi {{trigger.data.nick}}")).isEqualTo("Hi ");
        assertThat(render("Hi {{contact.properties.empty | default 'there'}}")).isEqualTo("Hi there");
        // a single tag keeps the type of its value, or of its default
        assertThat(render("{{trigger.data.count | default 1}}")).isEqualTo(1L);
        assertThat(render("{{trigger.data.amount | default 1}}")).isEqualTo(25);
        assertThat(render("{{trigger.data.nick | default friend}}")).isEqualTo("friend");
        assertThat(render("{{trigger.data.nick | default true}}")).isEqualTo(true);
        assertThat(render("{{trigger.data.nick | default 2.5}}")).isEqualTo(2.5);
        // a missing date goes through the date filters as missing
        assertThat(render("Born {{contact.properties.born | date \"dd MMM\"}}.")).isEqualTo("Born .");
        assertThat(render("Born {{contact.properties.born | plus P1D | date \"dd MMM\" | default \"?\"}}."))
                .isEqualTo("Born ?.");
        assertThat(render("{{contact.properties.born | money \"USD\"}}")).isEqualTo("");
        // in a section, over each item
        assertThat(render("{{#trigger.data.tags}}{{. | default \"?\"}},{{/trigger.data.tags}}",
                Map.of("tags", List.of("a", "", "c")))).isEqualTo("a,?,c,");
    }

    @Test
    void moneyRoundsHalfUpToTheCurrencysDigits() {
        assertThat(render("You won {{trigger.data.amount | money \"USD\"}}!")).isEqualTo("You won $25.00!");
        assertThat(render("{{trigger.data.v | money USD}}", Map.of("v", "25"))).isEqualTo("$25.00");
        assertThat(render("{{trigger.data.v | money \"USD\"}}", Map.of("v", 1234.5))).isEqualTo("$1,234.50");
        // half up: half a cent goes up (half even would give $0.12), and 2.675 is read as written, not as the
        // binary double just below it
        assertThat(render("{{trigger.data.v | money \"USD\"}}", Map.of("v", 0.125))).isEqualTo("$0.13");
        assertThat(render("{{trigger.data.v | money \"USD\"}}", Map.of("v", 2.675))).isEqualTo("$2.68");
        assertThat(render("{{trigger.data.v | money \"USD\"}}", Map.of("v", "-0.125"))).isEqualTo("-$0.13");
        assertThat(render("{{trigger.data.v | money \"USD\"}}", Map.of("v", -0.001))).isEqualTo("$0.00");
        assertThat(render("{{trigger.data.v | money \"USD\"}}", Map.of("v", new BigDecimal("19.999"))))
                .isEqualTo("$20.00");
        assertThat(render("{{trigger.data.v | money \"JPY\"}}", Map.of("v", 2500.5))).isEqualTo("¥2,501");
        assertThat(render("{{trigger.data.v | money \"EUR\"}}", Map.of("v", 25))).isEqualTo("€25.00");
        assertThat(render("{{trigger.data.v | money \"EUR\" \"de-DE\"}}", Map.of("v", 1234.5)))
                .isEqualTo("1.234,50\u00A0€");
        assertThat(render("{{trigger.data.items.1.price | money 'GBP'}}")).isEqualTo("£2.50");
        assertThat(render("{{#trigger.data.items}}[{{price | money \"USD\"}}]{{/trigger.data.items}}"))
                .isEqualTo("[$1.00][$2.50]");
    }

    @Test
    void aValueAFilterCannotReadFailsTheRenderingWithTheReason() {
        assertThatThrownBy(() -> render("Paid {{trigger.data.v | money \"USD\"}}", Map.of("v", "$25")))
                .isInstanceOf(Templates.TemplateValueException.class)
                .hasMessage("{{trigger.data.v | money \"USD\"}}: \"$25\" is not an amount (a number such as 25 or"
                        + " 25.50)");
        assertThatThrownBy(() -> render("{{trigger.data.v | money \"USD\"}}", Map.of("v", new BigDecimal("1E+40"))))
                .isInstanceOf(Templates.TemplateValueException.class)
                .hasMessage("{{trigger.data.v | money \"USD\"}}: the amount has more than 30 digits before the"
                        + " decimal point");
        // far below a cent is zero, at once
        assertThat(render("{{trigger.data.v | money \"USD\"}}", Map.of("v", new BigDecimal("1E-999999999"))))
                .isEqualTo("$0.00");
        assertThatThrownBy(() -> render("On {{trigger.data.d | date \"dd MMM\"}}", Map.of("d", "14/03/1990")))
                .isInstanceOf(Templates.TemplateValueException.class)
                .hasMessage("{{trigger.data.d | date \"dd MMM\"}}: \"14/03/1990\" is not an ISO-8601 date or"
                        + " date-time (such as 2026-11-26 or 2026-11-26T07:30:00Z)");
        assertThatThrownBy(() -> render("{{trigger.data.d | plus P1D}}", Map.of("d", 19900314)))
                .isInstanceOf(Templates.TemplateValueException.class)
                .hasMessageContaining("19900314 is not an ISO-8601 date or date-time");
        // a date has no time of day to write
        assertThatThrownBy(() -> render("{{contact.properties.birthday | format \"HH:mm\"}}"))
                .isInstanceOf(Templates.TemplateValueException.class)
                .hasMessageStartingWith("{{contact.properties.birthday | format \"HH:mm\"}}: cannot write 1990-03-14"
                        + " with \"HH:mm\"")
                .hasMessageEndingWith("(a date has no time of day)");
    }

    @Test
    void validationRefusesUnknownFiltersAndInvalidArguments() {
        assertThat(Templates.check("Hi {{contact.first_name | upper}}")).contains("{{contact.first_name | upper}}:"
                + " unknown filter upper; the filters are default, date, format, plus, minus, zone, money");
        assertThat(Templates.check("{{contact.first_name | getClass}}")).get().asString()
                .startsWith("{{contact.first_name | getClass}}: unknown filter getClass");
        assertThat(Templates.check("{{now | plus 7 days}}")).contains("{{now | plus 7 days}}: plus takes an"
                + " ISO-8601 duration, e.g. plus P7D or plus PT2H");
        assertThat(Templates.check("{{now | plus P7X}}")).contains("{{now | plus P7X}}: P7X is not an ISO-8601"
                + " duration such as P7D, PT2H, P1M or P1DT12H");
        assertThat(Templates.check("{{now | format \"yyyy #\"}}")).get().asString()
                .startsWith("{{now | format \"yyyy #\"}}: \"yyyy #\" is not a date pattern");
        assertThat(Templates.check("x {{now | zone \"Mars/Olympus\"}}")).contains("{{now | zone \"Mars/Olympus\"}}:"
                + " zone Mars/Olympus is not a time zone (a region such as Europe/Oslo, UTC, or an offset such as"
                + " +02:00)");
        assertThat(Templates.check("{{trigger.data.amount | money \"DOLLARS\"}}")).contains(
                "{{trigger.data.amount | money \"DOLLARS\"}}: DOLLARS is not an ISO 4217 currency code such as USD");
        assertThat(Templates.check("{{trigger.data.amount | money}}")).contains("{{trigger.data.amount | money}}:"
                + " money takes a currency and an optional locale, e.g. money \"USD\" or money \"EUR\" \"de-DE\"");
        assertThat(Templates.check("{{trigger.data.nick | default}}")).contains("{{trigger.data.nick | default}}:"
                + " default takes a value, e.g. default \"friend\"");
        assertThat(Templates.check("{{trigger.data.nick | default \"friend}}")).contains(
                "{{trigger.data.nick | default \"friend}} has a quote (\") that is not closed");
        assertThat(Templates.check("{{trigger.data.nick || default 'x'}}")).contains(
                "{{trigger.data.nick || default 'x'}} has an empty filter between two |");
        assertThat(Templates.check("{{now.year}}")).isEmpty(); // a name, not the clock: there is no data "now"
        assertThat(Templates.check("{{now.year | default 1}}")).contains("{{now.year | default 1}}: now is the"
                + " current time and has no fields (format it: {{now | format \"yyyy\"}})");
        assertThat(Templates.check("{{trigger.data.a b | default 1}}")).get().asString()
                .startsWith("{{trigger.data.a b | default 1}} names no value");
        // a section renders its body over a value: never over the clock or what a filter wrote
        assertThat(Templates.check("{{#now}}x{{/now}}")).contains("{{#now}}: a section is over a value as it is: now"
                + " and filters render values only");
        assertThat(Templates.check("{{^trigger.data.l | default 'x'}}y{{/trigger.data.l}}")).get().asString()
                .contains("a section is over a value as it is");
        // the same errors when rendering a definition stored without this check
        assertThatThrownBy(() -> render("Hi {{contact.first_name | upper}}")).isInstanceOf(MustacheException.class)
                .hasMessageContaining("unknown filter upper");
        assertThatThrownBy(() -> render("{{contact.first_name | upper}}")).isInstanceOf(MustacheException.class)
                .hasMessageContaining("unknown filter upper");
        // every filter, as documented, passes
        assertThat(Templates.check("{{now}} {{now | plus P7D | format \"yyyy-MM-dd\"}} {{now | minus PT2H}}"
                + " {{contact.properties.birthday | date \"dd MMM\"}} {{contact.properties.birthday | date}}"
                + " {{trigger.data.nickname | default \"friend\"}} {{trigger.data.amount | money \"USD\"}}"
                + " {{{trigger.data.amount | money \"EUR\" \"de-DE\"}}} {{&now | zone 'Europe/Oslo'}}")).isEmpty();
    }

    @Test
    void aSectionOverTheClockIsRefusedWhenRenderingEvenBehindOtherDelimiters() {
        // the engine refuses a change of delimiters; Templates alone renders it, and the section still fails
        assertThatThrownBy(() -> render("{{=<% %>=}}<%#now%><%bytes%><%/now%>"))
                .isInstanceOf(MustacheException.class)
                .hasMessageContaining("a section is over a value as it is");
        assertThatThrownBy(() -> render("{{=<% %>=}}<%^trigger.data.nick | default 'x'%>y<%/trigger.data.nick%>"))
                .isInstanceOf(MustacheException.class);
    }

    @Test
    void referencesNameTheValueOfATagWithFiltersAndNeverTheClock() {
        assertThat(Templates.references("{{now | plus P1D}} {{now}} {{trigger.data.amount | money \"USD\"}}"
                + " {{ contact.email }} {{steps.a.x|default 'y'}}"))
                .containsExactly("trigger.data.amount", "contact.email", "steps.a.x");
        assertThat(Templates.valueName(" trigger.data.amount | money \"USD\" ")).isEqualTo("trigger.data.amount");
        assertThat(Templates.valueName("contact.email")).isEqualTo("contact.email");
    }

    @Test
    void conditionsReadNowAndCelTimestampsAndDurations() {
        String recent = "timestamp(contact.properties.signup) > now - duration(\"720h\")";
        String old = "timestamp(contact.properties.signup) < now - duration(\"720h\")";
        assertThat(Conditions.check(old)).isEmpty();
        // signed up 2026-10-01 09:00 UTC: 56 days before NOW
        assertThat(Conditions.evaluate(old, VARS, NOW)).isEqualTo(new Conditions.Outcome(true, null));
        assertThat(Conditions.evaluate(recent, VARS, NOW)).isEqualTo(new Conditions.Outcome(false, null));
        // thirty days after signing up, the other way round
        Instant soon = Instant.parse("2026-10-20T00:00:00Z");
        assertThat(Conditions.evaluate(old, VARS, soon)).isEqualTo(new Conditions.Outcome(false, null));
        assertThat(Conditions.evaluate(recent, VARS, soon)).isEqualTo(new Conditions.Outcome(true, null));

        assertThat(Conditions.evaluate("now - timestamp(trigger.occurredAt) < duration(\"14h\")", VARS, NOW).holds())
                .isTrue(); // 13 h 25 min 27 s
        assertThat(Conditions.evaluate("now - timestamp(trigger.occurredAt) < duration(\"13h\")", VARS, NOW).holds())
                .isFalse();
        assertThat(Conditions.evaluate("now.getFullYear() == 2026 && now.getDayOfWeek() == 4"
                + " && now.getHours() == 7 && now.getHours('Europe/Oslo') == 8", VARS, NOW).holds()).isTrue();
        // a date without a time is not a CEL timestamp: one the condition completes is
        assertThat(Conditions.evaluate("timestamp(contact.properties.birthday) < now", VARS, NOW).error())
                .contains("1990-03-14");
        assertThat(Conditions.evaluate("timestamp(contact.properties.birthday + 'T00:00:00Z') < now", VARS, NOW)
                .holds()).isTrue();
        assertThat(Conditions.check("now.year > 1")).isPresent();
        // without an instant given: the time of the call
        assertThat(Conditions.evaluate("now > timestamp('2026-01-01T00:00:00Z')", VARS).holds()).isTrue();
    }

    @Test
    void theConditionsOfASessionShareOneNow() {
        Conditions.Session session = Conditions.session(NOW);
        assertThat(session.evaluate("now == timestamp('2026-11-26T07:30:27Z')", VARS).holds()).isTrue();
        assertThat(session.evaluate("now + duration('1s') == timestamp('2026-11-26T07:30:28Z')", VARS).holds())
                .isTrue();
        // a variable named now in the data does not replace the clock
        Map<String, Object> withNow = new HashMap<>(VARS);
        withNow.put("now", "2000-01-01T00:00:00Z");
        assertThat(session.evaluate("now == timestamp('2026-11-26T07:30:27Z')", withNow).holds()).isTrue();
    }
}
