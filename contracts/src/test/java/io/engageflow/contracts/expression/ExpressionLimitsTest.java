package io.engageflow.contracts.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.mustachejava.MustacheException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * What a condition or a template may cost: each bound refuses what goes past it with a reason that names it, and what
 * stays within passes. Written by whoever may write a definition, so nothing here may wedge, throw or run on.
 */
class ExpressionLimitsTest {
    private static final List<Long> TWO_THOUSAND = LongStream.range(0, 2_000).boxed().toList();
    private static final Map<String, Object> VARS = Map.of("contact", Map.of(), "trigger",
            Map.of("data", Map.of("list", TWO_THOUSAND, "s", "x".repeat(1_000))), "steps", Map.of());

    /** A list literal of n copies of x: n + 1 sub-expressions. */
    private static String listOf(int n) {
        return "[" + String.join(",", Collections.nCopies(n, "x")) + "]";
    }

    @Test
    void aNestedComprehensionOverTwoThousandElementsIsValidButRefusedAtTheIterationLimit() {
        String nested = "trigger.data.list.all(x, trigger.data.list.all(y, x + y >= 0))";
        assertThat(Conditions.check(nested)).isEmpty(); // nothing in its text says how large the list will be

        Conditions.Outcome outcome = Conditions.evaluate(nested, VARS);

        // 4,000,000 iterations asked, stopped after 10,000
        assertThat(outcome.holds()).isFalse();
        assertThat(outcome.error()).isEqualTo("condition exceeded its cost limit: more than 10000 iterations of all,"
                + " exists, exists_one, map and filter in one evaluation");
        // one level over the same list is an ordinary condition
        assertThat(Conditions.evaluate("trigger.data.list.all(x, x >= 0)", VARS)).isEqualTo(
                new Conditions.Outcome(true, null));
        assertThat(Conditions.evaluate("trigger.data.list.map(x, x * 2).filter(x, x > 3997).size() == 1", VARS))
                .isEqualTo(new Conditions.Outcome(true, null));
    }

    @Test
    void aBodyTooHeavyForItsIterationsIsRefusedAtTheStepLimit() {
        // 2,000 iterations, well within the iteration limit, of a body of ~100 sub-expressions
        String heavy = "trigger.data.list.all(x, " + listOf(100) + ".size() == 100)";
        assertThat(Conditions.evaluate(heavy, VARS).error())
                .isEqualTo("condition exceeded its cost limit: more than 100000 evaluation steps");
        String light = "trigger.data.list.all(x, " + listOf(10) + ".size() == 10)";
        assertThat(Conditions.evaluate(light, VARS)).isEqualTo(new Conditions.Outcome(true, null));
    }

    @Test
    void anExpressionThatDoublesAStringAtEachLevelIsRefusedAtTheCreatedLimit() {
        // each level binds four copies of the one before: 2,000 characters become 2,000 * 4^5 (two million)
        String doubling = "[trigger.data.s + trigger.data.s].map(a, [a + a + a + a].map(b, [b + b + b + b]"
                + ".map(c, [c + c + c + c].map(d, [d + d + d + d].map(e, e + e + e + e))))).size() == 1";
        assertThat(Conditions.evaluate(doubling, VARS).error()).isEqualTo("condition exceeded its cost limit: it "
                + "would create more than 1000000 characters of strings and elements of lists and maps");
        // three levels (128,000 characters) are allowed
        assertThat(Conditions.evaluate("[trigger.data.s + trigger.data.s].map(a, [a + a + a + a].map(b, b + b + b"
                + " + b)).size() == 1", VARS)).isEqualTo(new Conditions.Outcome(true, null));
    }

    @Test
    void aRegularExpressionCostsItsTextTimesItsPatternAndTooLargeAPatternIsRefused() {
        Map<String, Object> vars = Map.of("trigger", Map.of("data", Map.of("text", "ab".repeat(10_000))));
        // 20,000 characters times ~600 RE2 instructions: 12 million units, past the 10 million an evaluation has
        assertThat(Conditions.evaluate("trigger.data.text.matches('[ab]{1,300}c')", vars).error()).isEqualTo(
                "condition exceeded its cost limit: more than 10000000 units of work (sizes of the values it goes"
                        + " through, and text times pattern for matches)");
        // a smaller pattern over the same text is an ordinary match
        assertThat(Conditions.evaluate("trigger.data.text.matches('^(ab)+$')", vars).holds()).isTrue();
        assertThat(Conditions.evaluate("matches(trigger.data.text, 'ba')", vars).holds()).isTrue();
        assertThat(Conditions.evaluate("trigger.data.text.matches('[ab]{1,600}c')", vars).error()).isEqualTo(
                "condition exceeded its cost limit: the regular expression [ab]{1,600}c has 1202 RE2 instructions,"
                        + " more than 1000");
    }

    @Test
    void aLongTextReadAtEachIterationIsRefusedAtTheWorkLimit() {
        Map<String, Object> vars = Map.of("trigger", Map.of("data", Map.of("list", TWO_THOUSAND,
                "text", "y".repeat(10_000))));
        // 2,000 reads of 10,000 characters: each operation on it may go through all of it
        assertThat(Conditions.evaluate("trigger.data.list.all(x, trigger.data.text.contains('z') == false)", vars)
                .error()).startsWith("condition exceeded its cost limit: more than 10000000 units of work");
        assertThat(Conditions.evaluate("!trigger.data.text.contains('z')", vars).holds()).isTrue();
    }

    @Test
    void workTheCountersDoNotSeeStopsAtTheCpuBackstop() {
        // a list holding one list of 100,000: each == goes through 100,000 elements, its size (one) says little
        List<Long> inner = LongStream.range(0, 100_000).boxed().toList();
        Map<String, Object> vars = Map.of("trigger", Map.of("data", Map.of("list", TWO_THOUSAND,
                "deep", List.of(inner), "copy", List.of(new java.util.ArrayList<>(inner)))));
        assertThat(Conditions.evaluate("trigger.data.list.all(x, trigger.data.deep == trigger.data.copy)", vars)
                .error()).isEqualTo("condition exceeded its cost limit: more than 500 ms of CPU time");
        assertThat(Conditions.evaluate("trigger.data.deep == trigger.data.copy", vars).holds()).isTrue();
    }

    @Test
    void lengthAndNestingAreRefusedAtValidationWithTheReason() {
        String prefix = "trigger.data.s == '";
        String atLimit = prefix + "x".repeat(Conditions.MAX_LENGTH - prefix.length() - 1) + "'";
        assertThat(atLimit).hasSize(2_000);
        assertThat(Conditions.check(atLimit)).isEmpty();
        assertThat(Conditions.check(atLimit + " ")).contains(
                "condition is 2001 characters long; a condition has at most 2000");
        assertThat(Conditions.evaluate(atLimit + " ", VARS)).isEqualTo(new Conditions.Outcome(false,
                "condition is 2001 characters long; a condition has at most 2000"));
        // characters, not UTF-16 units: 1,000 emoji are 2,000 chars in Java and 1,000 characters here
        String emoji = prefix + "\uD83D\uDE00".repeat(1_000) + "'";
        assertThat(emoji.length()).isGreaterThan(2_000);
        assertThat(Conditions.check(emoji)).isEmpty();

        String nested = "(".repeat(50) + "true" + ")".repeat(50);
        assertThat(Conditions.check(nested)).contains(
                "condition nests deeper than 50 levels (parentheses, calls and field selections)");
        assertThat(Conditions.check("(".repeat(49) + "true" + ")".repeat(49))).isEmpty();
        assertThat(Conditions.check("trigger" + ".a".repeat(49) + " == 1")).isEmpty();
    }

    @Test
    void theConditionsOfOneSessionShareABudgetAndStopOnceItIsSpent() {
        String heavy = "trigger.data.list.all(x, " + listOf(100) + ".size() == 100)";
        Conditions.Session session = Conditions.session();
        for (int i = 0; i < 10; i++) {
            assertThat(session.evaluate(heavy, VARS).error()).as("evaluation %d", i)
                    .isEqualTo("condition exceeded its cost limit: more than 100000 evaluation steps");
        }
        // ten evaluations at their limit spent the session's: the rest are not run at all
        assertThat(session.evaluate("trigger.data.list.size() == 2000", VARS)).isEqualTo(new Conditions.Outcome(
                false, "not evaluated: the conditions evaluated with it used up their shared cost limit"));
        assertThat(Conditions.session().evaluate("trigger.data.list.size() == 2000", VARS).holds()).isTrue();
    }

    @Test
    void theCacheKeepsTheMostRecentlyUsedWithinItsBytesAndCountsEvictions() {
        AtomicInteger compiles = new AtomicInteger();
        CompiledCache<String> cache = new CompiledCache<>(text -> {
            compiles.incrementAndGet();
            return text.toUpperCase();
        }, CompiledCache.linear(1, 1), 12);

        assertThat(cache.get("aaaa")).isEqualTo("AAAA"); // weighs 5
        cache.get("bbbb"); // 10 in all
        cache.get("aaaa"); // used again: bbbb is now the least recently used
        assertThat(cache.stats()).isEqualTo(new CacheStats(2, 10, 0));
        cache.get("cc"); // 13 > 12: bbbb goes
        assertThat(cache.stats()).isEqualTo(new CacheStats(2, 8, 1));
        assertThat(compiles).hasValue(3);
        cache.get("aaaa");
        cache.get("cc");
        assertThat(compiles).hasValue(3); // both still kept
        cache.get("bbbb"); // compiled again, and aaaa (least recently used) makes room
        assertThat(compiles).hasValue(4);
        assertThat(cache.stats()).isEqualTo(new CacheStats(2, 8, 2));
        // heavier than the whole bound: compiled every time, never kept, nothing evicted for it
        cache.get("x".repeat(20));
        cache.get("x".repeat(20));
        assertThat(compiles).hasValue(6);
        assertThat(cache.stats()).isEqualTo(new CacheStats(2, 8, 2));
    }

    @Test
    void conditionsThatNeverRepeatCannotGrowTheCachePastItsBytes() {
        CacheStats before = Conditions.cacheStats();
        // ~132 KiB each by the estimate: 300 of them are more than the 16 MiB the cache may hold
        for (int i = 0; i < 300; i++) {
            String unique = "trigger.data.s == '" + i + "x".repeat(1_900) + "'";
            assertThat(Conditions.check(unique)).isEmpty();
        }
        CacheStats after = Conditions.cacheStats();
        assertThat(after.bytes()).isLessThanOrEqualTo(Conditions.CACHE_BYTES);
        assertThat(after.evictions()).isGreaterThan(before.evictions());
        // an expression over the length limit is refused before the cache: it costs no entry
        CacheStats beforeLong = Conditions.cacheStats();
        assertThat(Conditions.check("x".repeat(5_000))).isPresent();
        assertThat(Conditions.cacheStats()).isEqualTo(beforeLong);
    }

    @Test
    void aTemplateCannotIncludeAFileOfTheClasspath() {
        // without the guard, mustache.java reads the partial from the classpath (a service's application.properties
        // would land in an email)
        String leak = "before {{> expression-limits-secret.txt}} after";
        assertThat(Templates.check(leak)).contains(
                "a template cannot include another ({{> expression-limits-secret.txt}})");
        assertThatThrownBy(() -> Templates.resolve(leak, VARS)).isInstanceOf(MustacheException.class)
                .hasMessageNotContaining("do-not-leak").hasMessageContaining("cannot include another");
    }

    @Test
    void nestedSectionsAndHugeOutputsStopAtTheirLimits() {
        Map<String, Object> vars = Map.of("trigger", Map.of("data", Map.of("l", TWO_THOUSAND)));
        // writes nothing, iterates 4,000,000 times
        String nested = "{{#trigger.data.l}}{{#trigger.data.l}}{{/trigger.data.l}}{{/trigger.data.l}}";
        assertThat(Templates.check(nested)).isEmpty();
        assertThatThrownBy(() -> Templates.resolve(nested, vars)).isInstanceOf(Templates.TemplateLimitException.class)
                .hasMessage("the templates' sections do more than 100000 units of work (an iteration counts one plus"
                        + " the tags inside its section)");
        // 2,000 times the list as JSON: about 18 million characters
        String huge = "{{#trigger.data.l}}{{trigger.data.l}}{{/trigger.data.l}}";
        assertThatThrownBy(() -> Templates.resolve(huge, vars)).isInstanceOf(Templates.TemplateLimitException.class)
                .hasMessage("the templates would write more than 1000000 characters");
        // one section over the list is fine
        assertThat(Templates.resolve("{{#trigger.data.l}}.{{/trigger.data.l}}", vars)).isEqualTo(".".repeat(2_000));
    }

    @Test
    void theOutputLimitCoversAStepsWholeConfig() {
        Map<String, Object> vars = Map.of("trigger", Map.of("data", Map.of("s", "y".repeat(600_000))));
        Map<String, Object> one = Map.of("body", "<p>{{trigger.data.s}}</p>");
        assertThat(Templates.resolveAll(one, vars).get("body").toString()).hasSize(600_007);
        Map<String, Object> two = Map.of("body", "<p>{{trigger.data.s}}</p>", "copy", List.of("<{{trigger.data.s}}>"));
        assertThatThrownBy(() -> Templates.resolveAll(two, vars))
                .isInstanceOf(Templates.TemplateLimitException.class)
                .hasMessage("the templates would write more than 1000000 characters");
    }
}
