package io.engageflow.trigger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.engageflow.contracts.RejectedRecord;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The limits at the edge (application.properties defaults: 262144 bytes, depth 32, 32768 bytes a value, 200
 * entries, ids of 200 characters, occurredAt from 366 days before to 1 hour after receipt), each refused over HTTP
 * with a 4xx and its reason and over Kafka with a record on triggers.rejected carrying the same reason, each beside a
 * trigger just inside it that is accepted. Sizes are bytes: the refused texts are "é" (2 bytes in UTF-8), the
 * accepted ones "e" of the same length in characters.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_trigger_test"))
class TriggerLimitsTest extends TriggerTopics {
    /** A trigger a limit refuses, the HTTP status and the reason given on both ways in. */
    record Refused(String eventId, String json, int status, String reason) {
    }

    /** A trigger at or just inside the same limit: accepted. */
    record Allowed(String eventId, String json) {
    }

    /** One run's triggers, all for one contact (one key, so one partition of triggers.inbound). */
    private static final class Cases {
        final String run = UUID.randomUUID().toString();
        final String contact = "c-limits-" + run;
        final List<Refused> refused = new ArrayList<>();
        final List<Allowed> allowed = new ArrayList<>();

        Cases() {
            Instant now = Instant.now();
            String twoByteText = "é".repeat(15_000);
            String oneByteText = "e".repeat(15_000);
            String wide = json(id("bytes"), contactWith(Map.of()), entries(9, twoByteText), null);
            refused.add(new Refused(id("bytes"), wide, 413, "the trigger is "
                    + wide.getBytes(StandardCharsets.UTF_8).length + " bytes (UTF-8), more than the 262144 allowed"));
            allowed.add(new Allowed(id("bytes-ok"), json(id("bytes-ok"), contactWith(Map.of()),
                    entries(9, oneByteText), null)));

            refuse(id("value"), contactWith(Map.of("bio", "é".repeat(20_000))), Map.of(), null,
                    "contact.properties.bio is 40002 bytes as JSON (UTF-8), more than the 32768 allowed for one value");
            allow(id("value-ok"), contactWith(Map.of("bio", "e".repeat(20_000))), Map.of(), null);

            refuse(id("depth-data"), contactWith(Map.of()), Map.of("deep", nested(31)), null,
                    "data.deep nests the trigger 33 levels deep, more than the 32 allowed");
            refuse(id("depth-property"), contactWith(Map.of("deep", nested(30))), Map.of(), null,
                    "contact.properties.deep nests the trigger 33 levels deep, more than the 32 allowed");
            allow(id("depth-ok"), contactWith(Map.of("deep", nested(29))), Map.of("deep", nested(30)), null);

            refuse(id("many-properties"), contactWith(entries(201, "x")), Map.of(), null,
                    "contact.properties has 201 entries, more than the 200 allowed");
            refuse(id("many-data"), contactWith(Map.of()), entries(201, "x"), null,
                    "data has 201 entries, more than the 200 allowed");
            allow(id("many-ok"), contactWith(entries(200, "x")), entries(200, "x"), null);

            String longId = id("long-id-");
            refuse(longId + "x".repeat(201 - longId.length()), contactWith(Map.of()), Map.of(), null,
                    "eventId is longer than 200 characters");
            refuse(id("long-contact"), Map.of("id", "c".repeat(201)), Map.of(), null,
                    "contact.id is longer than 200 characters");
            refuse(id("long-email"), Map.of("id", contact, "email", "e".repeat(321)), Map.of(), null,
                    "contact.email is longer than 320 characters");
            String okId = id("id-ok-");
            allow(okId + "x".repeat(200 - okId.length()), Map.of("id", "c".repeat(200), "email", "e".repeat(320)),
                    Map.of(), null);

            Instant old = now.minus(Duration.ofDays(400));
            Instant ahead = now.plus(Duration.ofHours(2));
            refuse(id("old"), contactWith(Map.of()), Map.of(), old,
                    "occurredAt " + old + " is more than 366 days before its receipt");
            refuse(id("ahead"), contactWith(Map.of()), Map.of(), ahead,
                    "occurredAt " + ahead + " is more than PT1H after its receipt");
            allow(id("time-ok"), contactWith(Map.of()), Map.of(), now.minus(Duration.ofDays(300)));
            allow(id("time-ahead-ok"), contactWith(Map.of()), Map.of(), now.plus(Duration.ofMinutes(10)));

            refuse(id("nul-id"), Map.of("id", "c\u0000x"), Map.of(), null, "contact.id contains control characters");
            refuse(id("nul-data"), contactWith(Map.of()), Map.of("note", "a\u0000b"), null,
                    "data.note contains the character U+0000, which cannot be stored");
        }

        /** An eventId of this run; the label says which limit, and never prefixes another's. */
        String id(String label) {
            return run + "-" + label;
        }

        private void refuse(String eventId, Map<String, Object> contactJson, Map<String, Object> data, Instant at,
                            String reason) {
            refused.add(new Refused(eventId, json(eventId, contactJson, data, at), 400, reason));
        }

        private void allow(String eventId, Map<String, Object> contactJson, Map<String, Object> data, Instant at) {
            allowed.add(new Allowed(eventId, json(eventId, contactJson, data, at)));
        }

        Map<String, Object> contactWith(Map<String, Object> properties) {
            return Map.of("id", contact, "properties", properties);
        }
    }

    @Test
    void httpRefusesEachLimitWithA4xxAndItsReasonAndAcceptsWhatIsJustInside() {
        Cases cases = new Cases();
        for (Refused r : cases.refused) {
            given().contentType("application/json; charset=UTF-8").body(r.json().getBytes(StandardCharsets.UTF_8))
                    .post("/api/workspaces/acme/triggers")
                    .then().statusCode(r.status())
                    .body("error", equalTo(r.status() == 413 ? "trigger_too_large" : "invalid_trigger"))
                    .body("details", hasItem(r.reason()));
        }
        for (Allowed a : cases.allowed) {
            given().contentType("application/json; charset=UTF-8").body(a.json().getBytes(StandardCharsets.UTF_8))
                    .post("/api/workspaces/acme/triggers")
                    .then().statusCode(202).body("eventId", equalTo(a.eventId()));
        }
    }

    /** The refused records go first on the key; the accepted ones behind them on the same partition complete. */
    @Test
    void kafkaRejectsEachLimitWithItsReasonAndTheGoodTriggersBehindOnThePartitionAreForwarded() {
        Cases cases = new Cases();
        ConsumerTask<String, String> rejected = kafka.consumeStrings().fromTopics("triggers.rejected");
        ConsumerTask<String, String> forwarded = kafka.consumeStrings().fromTopics("workflow.triggers");
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        cases.refused.forEach(r -> records.add(new ProducerRecord<>("triggers.inbound", cases.contact, r.json())));
        cases.allowed.forEach(a -> records.add(new ProducerRecord<>("triggers.inbound", cases.contact, a.json())));
        kafka.produceStrings().fromRecords(records).awaitCompletion();

        for (Allowed a : cases.allowed) {
            Awaitility.await().atMost(WAIT).until(() -> !forwardedWithId(forwarded, a.eventId()).isEmpty());
        }
        for (Refused r : cases.refused) {
            RejectedRecord rejection = awaitRejection(rejected, "\"eventId\":\"" + r.eventId() + "\"");
            assertThat(rejection.reason()).as(r.eventId()).isEqualTo(r.reason());
            assertThat(rejection.source()).isEqualTo("triggers.inbound");
        }
        rejected.close();
        forwarded.close();
    }

    private static String json(String eventId, Map<String, Object> contact, Map<String, Object> data, Instant at) {
        Map<String, Object> t = new LinkedHashMap<>(); // eventId first: a rejection keeps the original's start
        t.put("eventId", eventId);
        t.put("type", "Gameplay.Action");
        t.put("workspaceId", "acme");
        if (at != null) {
            t.put("occurredAt", at.toString());
        }
        t.put("contact", contact);
        t.put("data", data);
        return JsonCodec.encode(t);
    }

    private static Map<String, Object> entries(int count, String value) {
        Map<String, Object> entries = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            entries.put("k" + i, value);
        }
        return entries;
    }

    /** Objects nested {@code levels} deep: {"a":{"a":…{"a":1}}}. */
    private static Object nested(int levels) {
        Object value = 1;
        for (int i = 0; i < levels; i++) {
            value = Map.of("a", value);
        }
        return value;
    }
}
