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
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_trigger_test"))
class TriggerIntakeTest {
    private static KafkaCompanion kafka;

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
        String body = """
                {"eventId":"%s","type":"DataCaptured","contact":{"id":"c-http","email":"ann@example.com"},
                 "data":{"form":"signup"}}""".formatted(eventId);
        ConsumerTask<String, String> forwarded = kafka.consumeStrings().fromTopics("workflow.triggers");

        given().contentType("application/json").body(body).post("/api/workspaces/acme/triggers")
                .then().statusCode(202).body("status", equalTo("accepted"))
                .body("type", equalTo("Gameplay.DataCaptured"));
        given().contentType("application/json").body(body).post("/api/workspaces/acme/triggers")
                .then().statusCode(200).body("status", equalTo("duplicate"));

        List<TriggerEvent> mine = forwardedWithId(forwarded, eventId, Duration.ofSeconds(5));
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
        String good = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        String validJson = """
                {"eventId":"%s","type":"Competition.EntrySubmitted","workspaceId":"acme",
                 "contact":{"id":"c-kafka"},"data":{"score":120}}""".formatted(good);
        kafka.produceStrings().fromRecords(
                new ProducerRecord<>("triggers.inbound", "c-1", "not json " + marker),
                new ProducerRecord<>("triggers.inbound", "c-2",
                        "{\"eventId\":\"" + marker + "\",\"type\":\"Gameplay.Action\",\"contact\":{\"id\":\"c-2\"}}"),
                new ProducerRecord<>("triggers.inbound", "c-3", "{\"eventId\":\"" + marker
                        + "\",\"type\":\"Moon.Landed\",\"workspaceId\":\"acme\",\"contact\":{\"id\":\"c-3\"}}"),
                new ProducerRecord<>("triggers.inbound", "c-kafka", validJson),
                new ProducerRecord<>("triggers.inbound", "c-kafka", validJson)).awaitCompletion();

        List<RejectedRecord> mine = List.of();
        long until = System.currentTimeMillis() + 10_000;
        while (mine.size() < 3 && System.currentTimeMillis() < until) {
            mine = rejected.getRecords().stream().map(ConsumerRecord::value)
                    .map(v -> JsonCodec.read(v, RejectedRecord.class))
                    .filter(r -> r.original() != null && r.original().contains(marker)).toList();
            sleep();
        }
        assertThat(mine).hasSize(3);
        assertThat(mine).extracting(RejectedRecord::reason).contains("workspaceId is required",
                "unknown trigger type Moon.Landed; known: " + io.engageflow.contracts.TriggerTypes.all());
        assertThat(mine).anySatisfy(r -> assertThat(r.reason()).startsWith("malformed JSON"));
        assertThat(mine).allSatisfy(r -> assertThat(r.source()).isEqualTo("triggers.inbound"));
        assertThat(forwardedWithId(forwarded, good, Duration.ofSeconds(5))).hasSize(1);
        rejected.close();
        forwarded.close();
    }

    private static List<TriggerEvent> forwardedWithId(ConsumerTask<String, String> task, String eventId,
                                                      Duration wait) {
        long until = System.currentTimeMillis() + wait.toMillis();
        List<TriggerEvent> found = List.of();
        while (System.currentTimeMillis() < until) {
            found = task.getRecords().stream().map(r -> JsonCodec.read(r.value(), TriggerEvent.class))
                    .filter(t -> eventId.equals(t.eventId())).toList();
            if (!found.isEmpty()) {
                sleep(); // give a wrongful second copy the chance to show up
                return task.getRecords().stream().map(r -> JsonCodec.read(r.value(), TriggerEvent.class))
                        .filter(t -> eventId.equals(t.eventId())).toList();
            }
            sleep();
        }
        return found;
    }

    private static void sleep() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
