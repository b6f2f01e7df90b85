package io.engageflow.trigger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.engageflow.contracts.RejectedRecord;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.KafkaBroker;
import io.engageflow.testsupport.RealInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
class TriggerIntakeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static KafkaCompanion kafka;

    @Inject
    MeterRegistry metrics;

    @BeforeAll
    static void companion() {
        kafka = new KafkaCompanion(KafkaBroker.bootstrapServers());
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

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
        double duplicatesBefore = count("duplicate");
        double rejectedBefore = count("rejected");
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
        assertThat(count("duplicate") - duplicatesBefore).as("the second copy was judged a duplicate").isEqualTo(1);

        Awaitility.await().atMost(WAIT).until(() -> rejectedWith(rejected, bad).size() >= 3);
        List<RejectedRecord> mine = rejectedWith(rejected, bad);
        assertThat(mine).hasSize(3);
        assertThat(mine).extracting(RejectedRecord::reason).contains("workspaceId is required",
                "unknown trigger type Moon.Landed; known: " + io.engageflow.contracts.TriggerTypes.all());
        assertThat(mine).anySatisfy(r -> assertThat(r.reason()).startsWith("malformed JSON"));
        assertThat(mine).allSatisfy(r -> assertThat(r.source()).isEqualTo("triggers.inbound"));
        assertThat(count("rejected") - rejectedBefore).isEqualTo(3);
        rejected.close();
        forwarded.close();
    }

    /**
     * Waits until the marker trigger has been forwarded, then returns the forwarded copies of {@code eventId}: the
     * marker followed them on the same key, so every copy the service sent stands before it in what was read.
     */
    private static List<TriggerEvent> forwardedBefore(ConsumerTask<String, String> task, String marker,
                                                      String eventId) {
        Awaitility.await().atMost(WAIT).until(() -> !forwardedWithId(task, marker).isEmpty());
        return forwardedWithId(task, eventId);
    }

    private static List<TriggerEvent> forwardedWithId(ConsumerTask<String, String> task, String eventId) {
        return task.getRecords().stream().map(r -> JsonCodec.read(r.value(), TriggerEvent.class))
                .filter(t -> eventId.equals(t.eventId())).toList();
    }

    private static List<RejectedRecord> rejectedWith(ConsumerTask<String, String> task, String text) {
        return task.getRecords().stream().map(ConsumerRecord::value)
                .map(v -> JsonCodec.read(v, RejectedRecord.class))
                .filter(r -> r.original() != null && r.original().contains(text)).toList();
    }

    private double count(String outcome) {
        return metrics.find("engageflow.triggers").tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
