package io.engageflow.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.engageflow.orchestrator.domain.definition.DefinitionParser;
import io.engageflow.orchestrator.domain.definition.DefinitionValidator;
import io.engageflow.orchestrator.domain.definition.ValidationError;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefinitionValidatorTest {

    private static List<ValidationError> check(String json) {
        return DefinitionValidator.check(DefinitionParser.parse(json));
    }

    @Test
    void theContractsExampleIsValidAndStepsWithoutIdGetOne() {
        String json = """
                {"name": "Competition coupons",
                 "trigger": {"type": "Competition.EntrySubmitted", "condition": "trigger.data.score > 100"},
                 "steps": [
                   {"id": "coupons", "action": "ContactCouponIssue",
                    "config": {"offer": "10% Discount", "quantity": 3, "contactLimit": 5, "allowPartialAward": true},
                    "paths": {
                      "Success": [{"action": "ContactEmailSend", "config": {
                          "subject": "You won {{steps.coupons.coupon_count}} coupons",
                          "body": "Hi {{contact.firstName}}, codes: {{steps.coupons.coupon_code}}"}}],
                      "OfferLimitsExceeded": [{"action": "ContactEmailSend",
                          "config": {"subject": "Limit reached", "body": "…"}}]}},
                   {"action": "LoyaltyAwardPoints", "config": {"points": 50, "reason": "entry"}}]}""";
        assertThat(check(json)).isEmpty();
        var parsed = DefinitionParser.parse(json);
        assertThat(parsed.definition().allSteps()).extracting(s -> s.id())
                .containsExactly("coupons", "step-1", "step-2", "step-3");
        assertThat(parsed.normalized().at("/steps/1/id").asText()).isEqualTo("step-3");
    }

    @Test
    void queryCriteriaAreAFixedTextOrAMapWhoseValuesMayBeTemplates() {
        String definition = """
                {"name": "crm", "trigger": {"type": "Webhook.Received"},
                 "steps": [{"id": "find", "action": "SalesforceGetObject",
                            "config": {"objectType": "Contact", "where": %s}}]}""";
        assertThat(check(definition.formatted("\"Email = 'a@example.com'\""))).isEmpty();
        assertThat(check(definition.formatted("{\"Email\": \"{{contact.email}}\", \"IsDeleted\": false}"))).isEmpty();
        assertThat(check(definition.formatted("\"Email = '{{contact.email}}'\"")))
                .extracting(ValidationError::path, ValidationError::message)
                .containsExactly(tuple("steps[0].config.where", DefinitionValidator.CRITERIA_TEMPLATE));
        assertThat(check(definition.formatted("42"))).extracting(ValidationError::path)
                .containsExactly("steps[0].config.where");
    }

    @Test
    void everyKindOfMistakeIsReportedAtItsPath() {
        List<ValidationError> errors = check("""
                {"name": "bad", "trigger": {"type": "Nope", "condition": "trigger.data.score >"},
                 "steps": [
                   {"id": "a", "action": "ContactCouponIssue", "config": {"quantity": "three", "qty": 1},
                    "paths": {"InsufficientPoints": []}},
                   {"id": "a", "action": "Teleport"},
                   {"id": "f", "action": "ContactFilter", "config": {"condition": "contact.email =="}},
                   {"id": "m", "action": "ContactEmailSend", "config": {"subject": "{{steps.ghost.x}}"}},
                   {"id": "d", "action": "Delay", "config": {"duration": "tomorrow"}},
                   {"id": "s", "action": "Split", "branches": []}
                 ]}""");
        assertThat(errors).extracting(ValidationError::path).contains(
                "trigger.type", "trigger.condition", "steps[0].config.quantity", "steps[0].config.qty",
                "steps[0].config.offer", "steps[0].paths.InsufficientPoints", "steps[1].action",
                "steps[2].config.condition", "steps[3].config.subject", "steps[3].config", "steps[4].config.duration",
                "steps[5].branches", "steps");
        assertThat(errors).anySatisfy(e -> assertThat(e.message()).isEqualTo("duplicate step id a"));
        assertThat(errors).anySatisfy(e -> assertThat(e.message())
                .isEqualTo("ContactCouponIssue never takes path InsufficientPoints; its paths are "
                        + "[Success, OfferLimitsExceeded, OfferExpired, Failure]"));
    }

    @Test
    void malformedJsonAndMissingPartsAreErrorsToo() {
        assertThat(check("{\"name\": ")).singleElement().extracting(ValidationError::path).isEqualTo("$");
        assertThat(check("{\"name\": \"x\"}")).extracting(ValidationError::path).containsExactly("trigger", "steps");
    }

    private static String workflow(String steps) {
        return "{\"name\": \"w\", \"trigger\": {\"type\": \"DataCaptured\"}, \"steps\": " + steps + "}";
    }

    private static String points() {
        return "{\"action\": \"LoyaltyAwardPoints\", \"config\": {\"points\": 1}}";
    }

    @Test
    void delaysAndDeadlinesStayWithinTheirRange() {
        assertThat(check(workflow("[{\"action\": \"Delay\", \"config\": {\"duration\": \"P400D\"}}]"))).isEmpty();
        assertThat(check(workflow("[{\"action\": \"Delay\", \"config\": {\"duration\": \"P401D\"}}]")))
                .singleElement().satisfies(e -> {
                    assertThat(e.path()).isEqualTo("steps[0].config.duration");
                    assertThat(e.message()).isEqualTo("a Delay waits at most 400 days (P400D)");
                });
        // the duration that once overflowed Instant and wedged a partition
        assertThat(check(workflow("[{\"action\": \"Delay\", \"config\": {\"duration\": \"PT8784000000000H\"}}]")))
                .singleElement().extracting(ValidationError::path).isEqualTo("steps[0].config.duration");
        String timeout = "[{\"action\": \"LoyaltyAwardPoints\", \"config\": {\"points\": 1}, \"timeout\": \"%s\"}]";
        assertThat(check(workflow(timeout.formatted("PT1S")))).isEmpty();
        assertThat(check(workflow(timeout.formatted("PT0.5S")))).singleElement()
                .extracting(ValidationError::path).isEqualTo("steps[0].timeout");
        assertThat(check(workflow(timeout.formatted("P31D")))).singleElement()
                .extracting(ValidationError::message).isEqualTo("timeout is between PT1S and PT720H");
    }

    @Test
    void aDefinitionIsBoundedInSizeStepsNestingBranchesAndCases() {
        assertThat(check(workflow("[" + String.join(", ", java.util.Collections.nCopies(200, points())) + "]")))
                .isEmpty();
        assertThat(check(workflow("[" + String.join(", ", java.util.Collections.nCopies(201, points())) + "]")))
                .singleElement().extracting(ValidationError::message)
                .isEqualTo("a workflow has at most 200 steps in all; this one has 201");

        String nested = points();
        for (int depth = 1; depth < 16; depth++) {
            nested = "{\"action\": \"Split\", \"branches\": [[" + nested + "]]}";
        }
        assertThat(check(workflow("[" + nested + "]"))).isEmpty();
        String tooDeep = "{\"action\": \"Split\", \"branches\": [[" + nested + "]]}";
        assertThat(check(workflow("[" + tooDeep + "]"))).singleElement()
                .extracting(ValidationError::message).isEqualTo("steps nest at most 16 deep in paths and branches");

        assertThat(check(workflow("[{\"id\": \"" + "s".repeat(101) + "\", \"action\": \"LoyaltyAwardPoints\", "
                + "\"config\": {\"points\": 1}}]"))).singleElement().extracting(ValidationError::message)
                .isEqualTo("a step id has at most 100 characters");

        String branches = String.join(", ", java.util.Collections.nCopies(21, "[" + points() + "]"));
        assertThat(check(workflow("[{\"action\": \"Split\", \"branches\": [" + branches + "]}]")))
                .singleElement().extracting(ValidationError::message).isEqualTo("a Split has at most 20 branches");

        String cases = String.join(", ", java.util.Collections.nCopies(51,
                "{\"when\": \"contact.id == 'x'\", \"path\": \"X\"}"));
        assertThat(check(workflow("[{\"action\": \"Decision\", \"config\": {\"cases\": [" + cases + "]}}]")))
                .singleElement().extracting(ValidationError::message).isEqualTo("a Decision has at most 50 cases");

        String huge = workflow("[{\"action\": \"ContactEmailSend\", \"config\": {\"subject\": \"s\", \"body\": \""
                + "é".repeat(140_000) + "\"}}]"); // 140,000 chars but 280,000 bytes: counted in bytes
        assertThat(check(huge)).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("$");
            assertThat(e.message()).isEqualTo("a definition is at most 262144 bytes of JSON");
        });
    }

    @Test
    void conditionsAndTemplatesAreHeldToTheLimitsTheyRunUnder() {
        String prefix = "trigger.data.code == '";
        String longest = prefix + "x".repeat(2_000 - prefix.length() - 1) + "'";
        String decision = "[{\"action\": \"Decision\", \"config\": {\"cases\": [{\"when\": \"%s\","
                + " \"path\": \"X\"}]}}]";
        assertThat(check(workflow(decision.formatted(longest)))).isEmpty();
        assertThat(check(workflow(decision.formatted(longest + " ")))).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("steps[0].config.cases[0].when");
            assertThat(e.message()).isEqualTo(
                    "invalid condition: condition is 2001 characters long; a condition has at most 2000");
        });
        String deep = "(".repeat(50) + "true" + ")".repeat(50);
        assertThat(check(workflow("[{\"action\": \"ContactFilter\", \"config\": {\"condition\": \"" + deep
                + "\"}}]"))).singleElement().satisfies(e -> {
                    assertThat(e.path()).isEqualTo("steps[0].config.condition");
                    assertThat(e.message()).isEqualTo("invalid condition: condition nests deeper than 50 levels"
                            + " (parentheses, calls and field selections)");
                });

        // a partial would read a file of the service into the email; an unclosed section never renders
        assertThat(check(workflow("[{\"action\": \"ContactEmailSend\", \"config\": {\"subject\": \"s\","
                + " \"body\": \"Hi {{> application.properties}}\"}}, {\"action\": \"Delay\", \"config\":"
                + " {\"duration\": \"PT{{#trigger.data}}H\"}}]"))).extracting(ValidationError::path,
                ValidationError::message).containsExactly(
                        tuple("steps[0].config.body",
                                "invalid template: a template cannot include another ({{> application.properties}})"),
                        tuple("steps[1].config.duration",
                                "invalid template: Failed to close 'trigger.data' tag @[config:1]"));
    }

    @Test
    void aConditionNeverHoldsATemplateWhereverItIs() {
        String template = "\\\"{{trigger.data.a}}\\\" == \\\"blue\\\"";
        List<ValidationError> errors = check("""
                {"name": "w", "trigger": {"type": "DataCaptured", "condition": "%1$s"},
                 "steps": [
                   {"id": "f", "action": "ContactFilter", "config": {"condition": "%1$s"}},
                   {"id": "g", "action": "GameplayFilter", "config": {"condition": "trigger.data.score > {{trigger.data.min}}"}},
                   {"id": "d", "action": "Decision", "config": {"cases": [
                       {"when": "contact.city == 'Oslo'", "path": "Oslo"},
                       {"when": "contact.city == '{{trigger.data.city}}'", "path": "Same"}]}}]}""".formatted(template));
        assertThat(errors).extracting(ValidationError::path, ValidationError::message).containsExactly(
                tuple("trigger.condition", DefinitionValidator.CONDITION_TEMPLATE),
                tuple("steps[0].config.condition", DefinitionValidator.CONDITION_TEMPLATE),
                tuple("steps[1].config.condition", DefinitionValidator.CONDITION_TEMPLATE),
                tuple("steps[2].config.cases[1].when", DefinitionValidator.CONDITION_TEMPLATE));
        assertThat(DefinitionValidator.CONDITION_TEMPLATE).contains("trigger.data.a == \"blue\"");

        // the same conditions reading the variables are valid
        assertThat(check("""
                {"name": "w", "trigger": {"type": "DataCaptured", "condition": "trigger.data.a == 'blue'"},
                 "steps": [
                   {"id": "f", "action": "ContactFilter", "config": {"condition": "trigger.data.a == 'blue'"}},
                   {"id": "g", "action": "GameplayFilter", "config": {"condition": "trigger.data.score > trigger.data.min"}},
                   {"id": "d", "action": "Decision", "config": {"cases": [
                       {"when": "contact.city == trigger.data.city", "path": "Same"}]}}]}""")).isEmpty();
    }

    @Test
    void templatesRenderValuesOnlyNoIncludesParentsBlocksOrDelimiterChanges() {
        List<String> refused = List.of("{{> file:///etc/hostname}}", "Hi {{> application.properties}}",
                "{{<layout}}{{/layout}}", "{{$body}}x{{/body}}", "{{=<% %>=}}<%> application.properties %>",
                "{{=<% %>=}}<% trigger.data.x %>",
                "{{trigger.data.a b}}", "{{#trigger.data.a}}x{{/trigger.data.b}}");
        for (String template : refused) {
            String json = workflow("[{\"action\": \"ContactUpdate\", \"config\": {\"properties\": {\"host\": \""
                    + template + "\"}}}]");
            assertThat(check(json)).as(template).singleElement().satisfies(e -> {
                assertThat(e.path()).isEqualTo("steps[0].config.properties.host");
                assertThat(e.message()).startsWith("invalid template: ");
            });
        }
        assertThat(check(workflow("[{\"action\": \"ContactUpdate\", \"config\": {\"properties\": {\"host\":"
                + " \"{{> file:///etc/hostname}}\"}}}]"))).singleElement().extracting(ValidationError::message)
                .isEqualTo("invalid template: a template cannot include another ({{> file:/etc/hostname}})");
        assertThat(check(workflow("[{\"action\": \"ContactUpdate\", \"config\": {\"properties\": {\"host\":"
                + " \"{{=<% %>=}}<% trigger.data.x %>\"}}}]"))).singleElement()
                .extracting(ValidationError::message)
                .isEqualTo("invalid template: a template cannot change its delimiters ({{=<% %>=}})");
        // values, sections over values and comments stay valid
        assertThat(check(workflow("[{\"action\": \"ContactUpdate\", \"config\": {\"properties\": {"
                + "\"a\": \"{{contact.first_name}} {{{trigger.data.x}}} {{&trigger.data.y}}\","
                + " \"b\": \"{{#trigger.data.tags}}{{.}};{{/trigger.data.tags}}"
                + "{{^trigger.data.n}}none{{/trigger.data.n}}\","
                + " \"c\": \"{{! a note }}{{ trigger.data.first-name }}\"}}}]"))).isEmpty();
    }
}
