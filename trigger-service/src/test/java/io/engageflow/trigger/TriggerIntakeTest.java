package io.engageflow.trigger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.engageflow.common.delivery.Delivery;
import io.engageflow.common.delivery.InboundRecord;
import io.engageflow.contracts.RejectedRecord;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.testsupport.RealInfrastructure;
import io.engageflow.trigger.messaging.InboundTriggerConsumer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * "Forwarded once" is proven with a marker: a later trigger for the same contact (same key, so the same partition of
 * {@code triggers.inbound} and of {@code workflow.triggers}) is sent after the duplicate. The service handles a
 * partition in order, so once the marker has been forwarded the duplicate has been handled, and any wrongful second
 * copy would already stand before the marker in the partition we read.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_trigger_test"))
class TriggerIntakeTest extends TriggerTopics {
    @Inject
    MeterRegistry metrics;
    @Inject
    Delivery delivery;
    @Inject
    InboundTriggerConsumer consumer;

    @Test
    void httpTriggerIsForwardedOnceWithCanonicalTypeAndDefaultTimeAndADuplicateIsReported() {
        String eventId = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        String body = """
                {"eventId":"%s","type":"DataCaptured","contact":{"id":"c-http","email":"ann@example.com"},
                 "data":{"form":"signup"}}""";
        ConsumerTask<String, String> forwarded = kafka.consumeStrings().fromTopics("workflow.triggers");

        given().contentType("application/json").body(body.formatted(eventId)).post("/api/workspaces/acme/triggers")
                .then().statusCode(202).body("status", equalTo("accepted"))
                .body("type", equalTo("Gameplay.DataCaptured"));
        given().contentType("application/json").body(body.formatted(eventId)).post("/api/workspaces/acme/triggers")
                .then().statusCode(200).body("status", equalTo("duplicate"));
        given().contentType("application/json").body(body.formatted(marker)).post("/api/workspaces/acme/triggers")
                .then().statusCode(202);

        List<TriggerEvent> mine = forwardedBefore(forwarded, marker, eventId);
        assertThat(mine).hasSize(1);
        TriggerEvent t = mine.get(0);
        assertThat(t.type()).isEqualTo("Gameplay.DataCaptured");
        assertThat(t.workspaceId()).isEqualTo("acme");
        assertThat(t.occurredAt()).isNotNull();
        assertThat(t.data()).containsEntry("form", "signup");
        forwarded.close();
    }

    @Test
    void httpRefusesBadTriggersWithReasons() {
        given().contentType("application/json").body("{\"eventId\": ").post("/api/workspaces/acme/triggers")
                .then().statusCode(400).body("error", equalTo("invalid_trigger"))
                .body("details[0]", org.hamcrest.Matchers.startsWith("malformed JSON"));
        given().contentType("application/json").body("{\"eventId\":\"x\",\"type\":\"Nope\",\"contact\":{}}")
                .post("/api/workspaces/acme/triggers")
                .then().statusCode(400)
                .body("details", hasItem(org.hamcrest.Matchers.startsWith("unknown trigger type Nope")))
                .body("details", hasItem("contact.id is required"));
        given().contentType("application/json")
                .body("{\"eventId\":\"x\",\"type\":\"Gameplay.Action\",\"workspaceId\":\"other\",\"contact\":{\"id\":\"c\"}}")
                .post("/api/workspaces/acme/triggers")
                .then().statusCode(400).body("details[0]", org.hamcrest.Matchers.containsString("does not match"));
    }

    @Test
    void badKafkaRecordsAreRejectedWithAReasonAndTheConsumerGoesOn() {
        ConsumerTask<String, String> rejected = kafka.consumeStrings().fromTopics("triggers.rejected");
        ConsumerTask<String, String> forwarded = kafka.consumeStrings().fromTopics("workflow.triggers");
        double duplicatesBefore = count(metrics, "duplicate");
        double rejectedBefore = count(metrics, "rejected");
        String good = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        String bad = UUID.randomUUID().toString();
        String valid = """
                {"eventId":"%s","type":"Competition.EntrySubmitted","workspaceId":"acme",
                 "contact":{"id":"c-kafka"},"data":{"score":120}}""";
        kafka.produceStrings().fromRecords(
                new ProducerRecord<>("triggers.inbound", "c-1", "not json " + bad),
                new ProducerRecord<>("triggers.inbound", "c-2",
                        "{\"eventId\":\"" + bad + "\",\"type\":\"Gameplay.Action\",\"contact\":{\"id\":\"c-2\"}}"),
                new ProducerRecord<>("triggers.inbound", "c-3", "{\"eventId\":\"" + bad
                        + "\",\"type\":\"Moon.Landed\",\"workspaceId\":\"acme\",\"contact\":{\"id\":\"c-3\"}}"),
                new ProducerRecord<>("triggers.inbound", "c-kafka", valid.formatted(good)),
                new ProducerRecord<>("triggers.inbound", "c-kafka", valid.formatted(good)),
                new ProducerRecord<>("triggers.inbound", "c-kafka", valid.formatted(marker))).awaitCompletion();

        assertThat(forwardedBefore(forwarded, marker, good)).hasSize(1);
        assertThat(count(metrics, "duplicate") - duplicatesBefore).as("the second copy was judged a duplicate").isEqualTo(1);

        Awaitility.await().atMost(WAIT).until(() -> rejectedWith(rejected, bad).size() >= 3);
        List<RejectedRecord> mine = rejectedWith(rejected, bad);
        assertThat(mine).hasSize(3);
        assertThat(mine).extracting(RejectedRecord::reason).contains("workspaceId is required",
                "unknown trigger type Moon.Landed; known: " + io.engageflow.contracts.TriggerTypes.all());
        assertThat(mine).anySatisfy(r -> assertThat(r.reason()).startsWith("malformed JSON"));
        assertThat(mine).allSatisfy(r -> assertThat(r.source()).isEqualTo("triggers.inbound"));
        assertThat(count(metrics, "rejected") - rejectedBefore).isEqualTo(3);
        rejected.close();
        forwarded.close();
    }

    /**
     * One poll as the consumer gets it, through the same call ({@code Delivery.process} with this stage): a copy of a
     * trigger accepted earlier, two copies of a new one, and a record that is not JSON. The new trigger is recorded
     * and forwarded once, both repeats are duplicates, the unreadable record is rejected with its reason.
     */
    @Test
    void aPollWithAnEarlierTriggerANewOneTwiceAndUnreadableJsonForwardsOnlyTheNewOnce() {
        ConsumerTask<String, String> rejected = kafka.consumeStrings().fromTopics("triggers.rejected");
        ConsumerTask<String, String> forwarded = kafka.consumeStrings().fromTopics("workflow.triggers");
        String contact = "c-poll-" + UUID.randomUUID();
        String earlier = UUID.randomUUID().toString();
        String fresh = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        String unreadable = UUID.randomUUID().toString();
        String trigger = """
                {"eventId":"%s","type":"Prize.Awarded","workspaceId":"acme","contact":{"id":"%s"}}""";
        given().contentType("application/json").body(trigger.formatted(earlier, contact))
                .post("/api/workspaces/acme/triggers").then().statusCode(202);
        double duplicatesBefore = count(metrics, "duplicate");
        double acceptedBefore = count(metrics, "accepted");
        double rejectedBefore = count(metrics, "rejected");

        List<InboundRecord> poll = List.of(
                new InboundRecord("triggers.inbound", 0, 1, contact, trigger.formatted(earlier, contact)),
                new InboundRecord("triggers.inbound", 0, 2, contact, trigger.formatted(fresh, contact)),
                new InboundRecord("triggers.inbound", 0, 3, contact, trigger.formatted(fresh, contact)),
                new InboundRecord("triggers.inbound", 0, 4, contact, "{\"eventId\":\"" + unreadable + "\","));
        delivery.process(poll, consumer).await().atMost(WAIT);

        assertThat(count(metrics, "duplicate") - duplicatesBefore).isEqualTo(2);
        assertThat(count(metrics, "accepted") - acceptedBefore).isEqualTo(1);
        assertThat(count(metrics, "rejected") - rejectedBefore).isEqualTo(1);
        given().contentType("application/json").body(trigger.formatted(marker, contact))
                .post("/api/workspaces/acme/triggers").then().statusCode(202);
        assertThat(forwardedBefore(forwarded, marker, earlier)).hasSize(1);
        assertThat(forwardedWithId(forwarded, fresh)).singleElement()
                .satisfies(t -> assertThat(t.contact().id()).isEqualTo(contact));
        assertThat(forwarded.getRecords()).filteredOn(r -> r.value().contains(fresh))
                .allSatisfy(r -> assertThat(r.key()).isEqualTo(contact));
        RejectedRecord rejection = awaitRejection(rejected, unreadable);
        assertThat(rejection.reason()).startsWith("malformed JSON");
        assertThat(rejection.original()).isEqualTo("{\"eventId\":\"" + unreadable + "\",");
        rejected.close();
        forwarded.close();
    }

    /**
     * Bad records ahead of a good one on the same key, so on the same partition: unreadable JSON and an unknown type
     * go to triggers.rejected (a normal outcome, not a dead letter) and the good trigger behind them is forwarded.
     */
    @Test
    void aGoodTriggerBehindUnreadableAndInvalidRecordsOnItsPartitionIsForwarded() {
        ConsumerTask<String, String> rejected = kafka.consumeStrings().fromTopics("triggers.rejected");
        ConsumerTask<String, String> forwarded = kafka.consumeStrings().fromTopics("workflow.triggers");
        double parkedBefore = metrics.find("engageflow.dead.letters").tag("topic", "triggers.inbound").counters()
                .stream().mapToDouble(Counter::count).sum();
        String contact = "c-order-" + UUID.randomUUID();
        String unreadable = UUID.randomUUID().toString();
        String unknownType = UUID.randomUUID().toString();
        String good = UUID.randomUUID().toString();
        String trigger = """
                {"eventId":"%s","type":"%s","workspaceId":"acme","contact":{"id":"%s"}}""";
        kafka.produceStrings().fromRecords(
                new ProducerRecord<>("triggers.inbound", contact, "{\"eventId\":\"" + unreadable + "\", \"type\""),
                new ProducerRecord<>("triggers.inbound", contact, trigger.formatted(unknownType, "Moon.Landed", contact)),
                new ProducerRecord<>("triggers.inbound", contact, trigger.formatted(good, "Card.Completed", contact)))
                .awaitCompletion();

        Awaitility.await().atMost(WAIT).until(() -> !forwardedWithId(forwarded, good).isEmpty());
        assertThat(forwardedWithId(forwarded, good)).singleElement()
                .satisfies(t -> assertThat(t.type()).isEqualTo("Card.Completed"));
        assertThat(awaitRejection(rejected, unreadable).reason()).startsWith("malformed JSON");
        assertThat(awaitRejection(rejected, unknownType).reason()).startsWith("unknown trigger type Moon.Landed");
        assertThat(metrics.find("engageflow.dead.letters").tag("topic", "triggers.inbound").counters().stream()
                .mapToDouble(Counter::count).sum()).as("nothing parked on triggers.inbound.dlq").isEqualTo(parkedBefore);
        rejected.close();
        forwarded.close();
    }
}
