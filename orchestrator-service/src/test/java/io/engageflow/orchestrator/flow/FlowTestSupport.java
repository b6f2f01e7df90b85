package io.engageflow.orchestrator.flow;

import static io.restassured.RestAssured.given;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.KafkaBroker;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;

/** Plays the upstream platform and the action services around a real orchestrator, over the real broker. */
abstract class FlowTestSupport {
    static final KafkaCompanion KAFKA = new KafkaCompanion(KafkaBroker.bootstrapServers());
    /** Each test its own workspace, so one test's active workflows never see another's triggers. */
    final String WS = "ws-" + UUID.randomUUID().toString().substring(0, 8);

    final ConsumerTask<String, String> commands = KAFKA.consumeStrings().fromTopics("actions.contact.commands",
            "actions.reward.commands", "actions.integration.commands");

    String createActive(String definitionJson) {
        String id = given().contentType("application/json").body(definitionJson)
                .post("/api/workspaces/" + WS + "/workflows").then().statusCode(201).extract().path("id");
        given().post("/api/workspaces/" + WS + "/workflows/" + id + "/activate").then().statusCode(200);
        return id;
    }

    static String fixture(String name) {
        try (InputStream in = FlowTestSupport.class.getResourceAsStream("/definitions/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String withId(String json, String id) {
        return json.replaceFirst("\\{", "{\"id\": \"" + id + "\", ");
    }

    TriggerEvent trigger(String type, String contactId, String email, Map<String, Object> data) {
        return new TriggerEvent(UUID.randomUUID().toString(), type, WS, Instant.now(),
                new ContactSnapshot(contactId, email, null, "Ann", null, Map.of()), data);
    }

    static void send(TriggerEvent t) {
        KAFKA.produceStrings().fromRecords(new ProducerRecord<>("workflow.triggers", t.contact().id(),
                JsonCodec.encode(t))).awaitCompletion();
    }

    static void reply(ActionCommand c, String path, Map<String, Object> outputs) {
        replyAll(List.of(result(c, path, outputs)));
    }

    static ActionResult result(ActionCommand c, String path) {
        return result(c, path, Map.of());
    }

    private static ActionResult result(ActionCommand c, String path, Map<String, Object> outputs) {
        return new ActionResult(c.commandId(), c.instanceId(), c.stepId(), c.action(), path, outputs, null,
                Instant.now());
    }

    /** Publishes the results with one produce call, in order. */
    static void replyAll(List<ActionResult> results) {
        KAFKA.produceStrings().fromRecords(results.stream().map(r -> new ProducerRecord<>("actions.results",
                r.instanceId(), JsonCodec.encode(r))).toList()).awaitCompletion();
    }

    /** Waits for the next command of a contact's instance for the given step. */
    ActionCommand awaitCommand(String contactId, String stepId) {
        return Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> commandsFor(contactId).stream()
                .filter(c -> c.stepId().equals(stepId)).findFirst().orElse(null), c -> c != null);
    }

    List<ActionCommand> commandsFor(String contactId) {
        return commands.getRecords().stream().map(r -> JsonCodec.read(r.value(), ActionCommand.class))
                .filter(c -> c.contact().id().equals(contactId)).toList();
    }

    Map<String, Object> instanceOf(String contactId) {
        List<Map<String, Object>> list = given().queryParam("contactId", contactId)
                .get("/api/workspaces/" + WS + "/instances").then().statusCode(200).extract().path("$");
        return list.isEmpty() ? null : list.get(0);
    }
}
