package io.engageflow.trigger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.engageflow.contracts.Causation;
import io.engageflow.contracts.RejectedRecord;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.LogCapture;
import io.engageflow.testsupport.RealInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Platform events carry their causation; trigger-service forwards it as it came and stops a chain deeper than
 * {@code engageflow.triggers.max-causation-depth} (5): such a trigger starts nothing, goes to triggers.rejected with
 * the reason, is counted and is logged once per chain. "Not forwarded" is proven with a marker sent after it on the
 * same key (one partition, handled in order).
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_trigger_test"))
class LoopGuardTest extends TriggerTopics {
    private static final String LIMIT_REASON = "causation.depth 6 is more than the 5 allowed "
            + "(engageflow.triggers.max-causation-depth): a chain of workflows this deep is taken for a loop and "
            + "starts nothing";

    @Inject
    MeterRegistry metrics;

    @Test
    void aTriggerAtTheDepthLimitIsForwardedWithItsCausationAndOneBeyondItIsRejectedCountedAndLoggedOncePerChain() {
        ConsumerTask<String, String> rejected = kafka.consumeStrings().fromTopics("triggers.rejected");
        ConsumerTask<String, String> forwarded = kafka.consumeStrings().fromTopics("workflow.triggers");
        String contact = "c-loop-" + UUID.randomUUID();
        String root = "root-" + UUID.randomUUID();
        String atLimit = UUID.randomUUID().toString();
        String beyond = UUID.randomUUID().toString();
        String beyondAgain = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        double stoppedBefore = stopped();
        try (LogCapture logs = LogCapture.start()) {
            kafka.produceStrings().fromRecords(
                    record(contact, event(atLimit, contact, root, 5)),
                    record(contact, event(beyond, contact, root, 6)),
                    record(contact, event(beyondAgain, contact, root, 6)),
                    record(contact, event(marker, contact, "root-" + UUID.randomUUID(), 1))).awaitCompletion();

            assertThat(forwardedBefore(forwarded, marker, atLimit)).singleElement().satisfies(t -> {
                assertThat(t.causation()).isEqualTo(new Causation(root, "i-" + atLimit, "s-5", 5));
                assertThat(t.type()).isEqualTo("Loyalty.PointsAwarded");
            });
            // causation goes on as it came, field for field
            JsonNode sent = JsonCodec.parse(event(atLimit, contact, root, 5)).value().get("causation");
            assertThat(forwarded.getRecords().stream().map(ConsumerRecord::value).filter(v -> v.contains(atLimit))
                    .map(v -> JsonCodec.parse(v).value().get("causation")).toList()).containsExactly(sent);
            assertThat(forwardedWithId(forwarded, beyond)).isEmpty();
            assertThat(forwardedWithId(forwarded, beyondAgain)).isEmpty();

            for (String eventId : List.of(beyond, beyondAgain)) {
                RejectedRecord rejection = awaitRejection(rejected, eventId);
                assertThat(rejection.reason()).isEqualTo(LIMIT_REASON);
                assertThat(rejection.source()).isEqualTo("triggers.inbound");
                assertThat(rejection.original()).isEqualTo(event(eventId, contact, root, 6));
            }
            assertThat(stopped() - stoppedBefore).isEqualTo(2);
            assertThat(metrics.find("engageflow.triggers.loops.stopped").counters())
                    .allSatisfy(c -> assertThat(c.getId().getTags()).extracting(t -> t.getKey())
                            .containsExactly("type"));
            // once per chain, at WARN, with ids only (the contact's id is not one of them)
            List<String> warned = logs.containing(root);
            assertThat(warned).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("WARN io.engageflow.trigger.domain.LoopGuard a chain of workflows stopped as a loop")
                    .contains(beyond, "i-" + beyond, "6 deep, more than the 5 allowed")
                    .doesNotContain(contact));
            assertThat(logs.containing(beyondAgain)).isEmpty();
        } finally {
            rejected.close();
            forwarded.close();
        }
    }

    @Test
    void overHttpAPlatformEventKeepsItsCausationAndOneBeyondTheLimitIsRefusedWithTheReason() {
        ConsumerTask<String, String> forwarded = kafka.consumeStrings().fromTopics("workflow.triggers");
        String contact = "c-loop-http-" + UUID.randomUUID();
        String root = "root-" + UUID.randomUUID();
        String first = UUID.randomUUID().toString();
        given().contentType("application/json").body(event(UUID.randomUUID().toString(), contact, root, 6))
                .post("/api/workspaces/acme/triggers")
                .then().statusCode(400).body("error", equalTo("invalid_trigger"))
                .body("details[0]", equalTo(LIMIT_REASON));
        given().contentType("application/json").body(event(first, contact, root, 1))
                .post("/api/workspaces/acme/triggers").then().statusCode(202);

        assertThat(forwardedBefore(forwarded, first, first)).singleElement()
                .satisfies(t -> assertThat(t.causation()).isEqualTo(new Causation(root, "i-" + first, "s-1", 1)));
        forwarded.close();
    }

    @Test
    void aCausationWithoutItsRootOrDepthIsRejectedWithTheReasons() {
        ConsumerTask<String, String> rejected = kafka.consumeStrings().fromTopics("triggers.rejected");
        String eventId = UUID.randomUUID().toString();
        kafka.produceStrings().fromRecords(new ProducerRecord<>("triggers.inbound", "c-loop-bad", """
                {"eventId":"%s","type":"Contact.TagAdded","workspaceId":"acme","contact":{"id":"c-loop-bad"},
                 "data":{"tag":"vip"},"causation":{"instanceId":"i-1","stepId":"s"}}""".formatted(eventId)))
                .awaitCompletion();

        assertThat(awaitRejection(rejected, eventId).details()).containsExactly("causation.rootEventId is required",
                "causation.depth is required, a whole number of at least 0");
        rejected.close();
    }

    private double stopped() {
        return metrics.find("engageflow.triggers.loops.stopped").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static ProducerRecord<String, String> record(String contact, String json) {
        return new ProducerRecord<>("triggers.inbound", contact, json);
    }

    /** A Loyalty.PointsAwarded event as reward-actions publishes it, {@code depth} workflows down its chain. */
    private static String event(String eventId, String contact, String root, int depth) {
        return """
                {"eventId":"%s","type":"Loyalty.PointsAwarded","workspaceId":"acme","contact":{"id":"%s"},\
                "data":{"points":50,"total_points":150,"reason":"entry"},\
                "causation":{"rootEventId":"%s","instanceId":"i-%s","stepId":"s-%d","depth":%d}}"""
                .formatted(eventId, contact, root, eventId, depth, depth);
    }
}
