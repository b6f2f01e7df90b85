package io.engageflow.orchestrator.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.KafkaBroker;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;

/**
 * Plays the upstream platform and the action services around a real orchestrator, over the real broker. Everything
 * a test looks at is its own: a workspace per test, commands matched by the instance id the instance view gives,
 * topics read from their end offsets at the test's start (a reused broker's old records are never seen).
 */
abstract class FlowTestSupport {
    static final KafkaCompanion KAFKA = new KafkaCompanion(KafkaBroker.bootstrapServers());
    static final List<String> COMMAND_TOPICS = List.of(Topics.CONTACT_COMMANDS, Topics.REWARD_COMMANDS,
            Topics.INTEGRATION_COMMANDS);
    /** How long a test waits for what must happen: generous, as CI runs everything on two loaded cores. */
    static final Duration WAIT = Duration.ofSeconds(30);
    /** The trigger type of the marker workflow; no test workflow uses it. */
    private static final String MARKER_TYPE = "Gameplay.Ended";

    /** Each test its own workspace, so one test's active workflows never see another's triggers. */
    final String WS = "ws-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<ConsumerTask<String, String>> consumers = new ArrayList<>();
    /** The commands the orchestrator sends from the test's start on. */
    final ConsumerTask<String, String> commands = consumeFromEnd(COMMAND_TOPICS);
    private String markerWorkflow;

    @AfterEach
    void closeConsumers() {
        consumers.forEach(ConsumerTask::close);
    }

    /** A consumer of the topics from their current end offsets; closed after the test. */
    ConsumerTask<String, String> consumeFromEnd(List<String> topics) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String topic : topics) {
            if (!KAFKA.topics().list().contains(topic)) {
                try {
                    KAFKA.topics().createAndWait(topic, 6);
                } catch (RuntimeException e) {
                    // created meanwhile by the broker's auto-creation on first produce: fine
                }
            }
            KAFKA.topics().describe(topic).get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        }
        Map<TopicPartition, Long> from = new HashMap<>();
        // a topic just created on a fresh broker may be listed before its partitions are hosted
        // (UnknownTopicOrPartitionException): ask again until they are
        Awaitility.await().atMost(WAIT).ignoreExceptions().until(() -> KAFKA.offsets().list(latest), m -> true)
                .forEach((tp, info) -> from.put(tp, info.offset()));
        ConsumerTask<String, String> task = KAFKA.consumeStrings().fromOffsets(from);
        consumers.add(task);
        return task;
    }

    String create(String definitionJson) {
        return given().contentType("application/json").body(definitionJson)
                .post("/api/workspaces/" + WS + "/workflows").then().statusCode(201).extract().path("id");
    }

    String createActive(String definitionJson) {
        String id = create(definitionJson);
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
        return trigger(type, new ContactSnapshot(contactId, email, null, "Ann", null, Map.of()), data);
    }

    TriggerEvent trigger(String type, ContactSnapshot contact, Map<String, Object> data) {
        return new TriggerEvent(UUID.randomUUID().toString(), type, WS, Instant.now(), contact, data);
    }

    /** Publishes on workflow.triggers keyed by contact id, as trigger-service does. */
    static void send(TriggerEvent t) {
        KAFKA.produceStrings().fromRecords(new ProducerRecord<>(Topics.WORKFLOW_TRIGGERS, t.contact().id(),
                JsonCodec.encode(t))).awaitCompletion();
    }

    /**
     * Returns once the orchestrator has decided every trigger sent so far for the contact: it sends a marker trigger
     * for the same contact (so the same partition, read in order) and waits for the marker workflow's instance of
     * it. A test checks that a trigger started nothing this way, instead of waiting for a time.
     */
    void awaitTriggersDecided(String contactId) {
        if (markerWorkflow == null) {
            markerWorkflow = createActive("""
                    {"name": "marker", "trigger": {"type": "%s"},
                     "steps": [{"id": "mark", "action": "Delay", "config": {"duration": "PT0S"}}]}"""
                    .formatted(MARKER_TYPE));
        }
        TriggerEvent marker = trigger(MARKER_TYPE, contactId, null, Map.of());
        send(marker);
        Awaitility.await().atMost(WAIT).until(() -> instances(markerWorkflow, contactId).stream()
                .anyMatch(i -> marker.eventId().equals(i.get("triggerEventId"))));
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
        KAFKA.produceStrings().fromRecords(results.stream().map(r -> new ProducerRecord<>(Topics.ACTION_RESULTS,
                r.instanceId(), JsonCodec.encode(r))).toList()).awaitCompletion();
    }

    /** Waits for the instance's command for the given step. */
    ActionCommand awaitCommand(String instanceId, String stepId) {
        return Awaitility.await().atMost(WAIT).until(() -> commandsOf(instanceId).stream()
                .filter(c -> c.stepId().equals(stepId)).findFirst().orElse(null), c -> c != null);
    }

    /** The commands the instance was sent, in the order they were read. */
    List<ActionCommand> commandsOf(String instanceId) {
        return commands.getRecords().stream().map(r -> JsonCodec.read(r.value(), ActionCommand.class))
                .filter(c -> c.instanceId().equals(instanceId)).toList();
    }

    /** The workflow's instances for the contact, newest first. */
    List<Map<String, Object>> instances(String workflowId, String contactId) {
        return given().queryParam("workflowId", workflowId).queryParam("contactId", contactId)
                .get("/api/workspaces/" + WS + "/instances").then().statusCode(200).extract().path("$");
    }

    /** Waits for the workflow's instance for the contact and returns its id. */
    String awaitInstance(String workflowId, String contactId) {
        return Awaitility.await().atMost(WAIT).until(() -> instances(workflowId, contactId),
                list -> !list.isEmpty()).get(0).get("id").toString();
    }

    Map<String, Object> instance(String instanceId) {
        return given().get("/api/workspaces/" + WS + "/instances/" + instanceId).then().statusCode(200)
                .extract().path("$");
    }

    /**
     * Sends triggers of one contact (so one partition, decided in this order), waits until each has started its
     * instance of the workflow, and returns the instance ids in the order of the triggers.
     */
    List<String> startInOrder(String workflowId, TriggerEvent... triggers) {
        String contactId = triggers[0].contact().id();
        for (TriggerEvent t : triggers) {
            send(t);
        }
        List<Map<String, Object>> started = Awaitility.await().atMost(WAIT)
                .until(() -> instances(workflowId, contactId), l -> l.size() == triggers.length);
        List<String> ids = new ArrayList<>();
        for (TriggerEvent t : triggers) {
            ids.add(idOf(started, t));
        }
        return ids;
    }

    /** The id of the instance, among these, that the trigger started. */
    static String idOf(List<Map<String, Object>> instances, TriggerEvent trigger) {
        return instances.stream().filter(i -> trigger.eventId().equals(i.get("triggerEventId"))).findFirst()
                .orElseThrow(() -> new AssertionError("no instance of trigger " + trigger.eventId())).get("id")
                .toString();
    }

    /** Waits until the instance is no longer running and checks it ended with exactly this status. */
    Map<String, Object> awaitEnded(String instanceId, String status) {
        Map<String, Object> ended = Awaitility.await().atMost(WAIT)
                .until(() -> instance(instanceId), i -> !"running".equals(i.get("status")));
        assertThat(ended.get("status")).as("end status of %s", instanceId).isEqualTo(status);
        return ended;
    }

    /** Each step as {@code stepId=path}, in the order the steps started. */
    @SuppressWarnings("unchecked")
    static List<String> paths(Map<String, Object> instance) {
        return ((List<Map<String, Object>>) instance.get("steps")).stream()
                .map(s -> s.get("stepId") + "=" + s.get("path")).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> step(Map<String, Object> instance, String stepId) {
        return ((List<Map<String, Object>>) instance.get("steps")).stream()
                .filter(s -> stepId.equals(s.get("stepId"))).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + stepId + " in " + instance));
    }
}
