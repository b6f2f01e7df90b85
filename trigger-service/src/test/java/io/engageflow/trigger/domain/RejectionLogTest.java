package io.engageflow.trigger.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.trigger.config.TriggerSettings;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A rejection's reasons go back to the sender and may quote what it sent; the same reasons as logged leave that text
 * out (it may be an address or a property's value) and keep the rest, with the eventId when the record has one.
 */
class RejectionLogTest {
    private static final String EMAIL = "ann@example.com";

    private final TriggerSettings limits = new TriggerSettings() {
        @Override
        public int maxBytes() {
            return 262_144;
        }

        @Override
        public int maxDepth() {
            return 32;
        }

        @Override
        public int maxValueBytes() {
            return 16;
        }

        @Override
        public int maxProperties() {
            return 200;
        }

        @Override
        public Duration maxAge() {
            return Duration.ofDays(366);
        }

        @Override
        public Duration maxAhead() {
            return Duration.ofHours(1);
        }

        @Override
        public Duration httpWait() {
            return Duration.ofSeconds(120);
        }

        @Override
        public int maxCausationDepth() {
            return 5;
        }

        @Override
        public java.util.Map<String, Publisher> publishers() {
            return java.util.Map.of();
        }
    };
    private final TriggerValidator validator = new TriggerValidator(limits,
            new LoopGuard(limits, new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));

    private Verdict.Rejected check(String record) {
        return (Verdict.Rejected) validator.check(record, null, Instant.now());
    }

    @Test
    void aParsersReasonIsLoggedWithoutTheValueItQuotes() {
        Verdict.Rejected r = check("""
                {"eventId":"e-1","type":"Gameplay.Action","workspaceId":"acme","contact":"%s"}""".formatted(EMAIL));
        assertThat(r.reason()).startsWith("not a valid TriggerEvent: ").contains(EMAIL);
        assertThat(r.logged()).containsExactly("not a valid TriggerEvent");
        assertThat(r.eventId()).isEqualTo("e-1");
    }

    @Test
    void theSendersTypeAndPropertyNamesAreLeftOutOfTheLoggedReasons() {
        Verdict.Rejected r = check("""
                {"eventId":"e-2","type":"%s","workspaceId":"acme",
                 "contact":{"id":"c","email":"%s","properties":{"%s":"a value longer than sixteen bytes"}}}"""
                .formatted(EMAIL, EMAIL, EMAIL));
        assertThat(r.reasons()).hasSize(2).allSatisfy(reason -> assertThat(reason).contains(EMAIL));
        assertThat(r.logged()).containsExactly(
                "unknown trigger type …; known: " + io.engageflow.contracts.TriggerTypes.all(),
                "contact.properties.… is 35 bytes as JSON (UTF-8), more than the 16 allowed for one value");
        assertThat(r.eventId()).isEqualTo("e-2");
    }

    @Test
    void anInvalidEventIdIsNotLogged() {
        Verdict.Rejected unreadable = check("{\"eventId\":\"e-3\\nforged log line\",\"type\": ");
        assertThat(unreadable.logged()).containsExactly("malformed JSON");
        assertThat(unreadable.eventId()).isNull();
        Verdict.Rejected controlChars = check("""
                {"eventId":"e-4\\nforged","type":"Gameplay.Action","workspaceId":"acme","contact":{"id":"c"}}""");
        assertThat(controlChars.logged()).containsExactly("eventId contains control characters");
        assertThat(controlChars.eventId()).isNull();
    }
}
