package io.engageflow.orchestrator.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.Topics;
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
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * No record stalls a partition: a record that can never be processed is parked on {@code <topic>.dlq} with its
 * reason — its instance failed where it has one — and the next record of the same partition runs.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_orchestrator_test"))
class PoisonRecordsTest extends FlowTestSupport {
    private static final int PARTITIONS = 6;

    @Inject
    MeterRegistry metrics;
    @Inject
    Pool pool;

    /** Both records go to one partition, in this order, as a single producer would write them. */
    private static void sendInOrder(String topic, int partition, List<String[]> keyAndValue) {
        KAFKA.produceStrings().fromRecords(keyAndValue.stream()
                .map(kv -> new ProducerRecord<>(topic, partition, kv[0], kv[1])).toList()).awaitCompletion();
    }

    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private static ConsumerRecord<String, String> awaitOne(ConsumerTask<String, String> task) {
        return Awaitility.await().atMost(WAIT).until(() -> task.getRecords().stream().findFirst().orElse(null),
                r -> r != null);
    }

    private String oneStepWorkflow(String type) {
        return createActive("""
                {"name": "one", "trigger": {"type": "%s"},
                 "steps": [{"id": "tag", "action": "ContactUpdate", "config": {"addTags": ["x"]}}]}""".formatted(type));
    }

    @Test
    void aResultThatIsNotJsonIsParkedAndTheAnswerBehindItCompletesTheInstance() {
        ConsumerTask<String, String> dlq = consumeFromEnd(List.of(Topics.ACTION_RESULTS + ".dlq"));
        String wf = oneStepWorkflow("Contact.Identified");
        send(trigger("Contact.Identified", "c-garbage", null, Map.of()));
        String id = awaitInstance(wf, "c-garbage");
        ActionCommand command = awaitCommand(id, "tag");

        sendInOrder(Topics.ACTION_RESULTS, partitionOf(id), List.of(new String[] {id, "{not json"},
                new String[] {id, JsonCodec.encode(result(command, "Success"))}));

        assertThat(paths(awaitEnded(id, "completed"))).containsExactly("tag=Success");
        ConsumerRecord<String, String> letter = awaitOne(dlq);
        Map<String, Object> parked = JsonCodec.toMap(letter.value());
        assertThat(letter.key()).isEqualTo(id);
        assertThat(parked).containsEntry("topic", Topics.ACTION_RESULTS).containsEntry("original", "{not json")
                .containsEntry("service", "orchestrator-service").containsEntry("attempts", 1)
                .containsKeys("partition", "offset", "at");
        assertThat((String) parked.get("error")).startsWith("unreadable: malformed JSON");
    }

    @Test
    void aResultWhoseInstanceCannotBeRunIsParkedItsInstanceFailsAndTheNextResultApplies() {
        ConsumerTask<String, String> dlq = consumeFromEnd(List.of(Topics.ACTION_RESULTS + ".dlq"));
        String wf = oneStepWorkflow("Contact.Identified");
        send(trigger("Contact.Identified", "c-good", null, Map.of()));
        String good = awaitInstance(wf, "c-good");
        ActionCommand goodCommand = awaitCommand(good, "tag");
        // an instance of a version that no longer exists (e.g. removed by hand from the database): its result can
        // never be applied, however often it is tried
        String ghost = ghostInstance(wf, "c-ghost");
        ActionResult ghostResult = new ActionResult(ghost + ":tag:1", ghost, "tag", "ContactUpdate", "Success",
                Map.of(), null, Instant.now());

        int partition = partitionOf(good);
        Map<String, Object> failed;
        try (LogCapture log = LogCapture.start()) {
            sendInOrder(Topics.ACTION_RESULTS, partition, List.of(
                    new String[] {ghost, JsonCodec.encode(ghostResult)},
                    new String[] {good, JsonCodec.encode(result(goodCommand, "Success"))}));

            assertThat(paths(awaitEnded(good, "completed"))).containsExactly("tag=Success");
            failed = awaitEnded(ghost, "failed");
            // the warning about it names the instance and its workspace in its MDC fields (what the JSON log shows)
            List<LogCapture.Line> parkedLines = Awaitility.await().atMost(WAIT).until(() -> log.linesContaining(
                    "result " + ghostResult.commandId() + " (instance " + ghost), l -> !l.isEmpty());
            assertThat(parkedLines.get(0).text()).startsWith("WARN")
                    .contains("the instance ends failed with DeadLettered");
            assertThat(parkedLines.get(0).mdc()).containsEntry("instanceId", ghost).containsEntry("workspaceId", WS)
                    .doesNotContainKey("traceId"); // tracing is off
        }
        Map<String, Object> step = step(failed, "tag");
        assertThat(step.get("status")).isEqualTo("failed");
        assertThat(((Map<?, ?>) step.get("error")).get("code")).isEqualTo("DeadLettered");
        assertThat((String) ((Map<?, ?>) step.get("error")).get("message")).contains("has no version 7");
        Map<String, Object> parked = JsonCodec.toMap(awaitOne(dlq).value());
        assertThat(parked).containsEntry("attempts", 3).containsEntry("partition", partition);
        assertThat((String) parked.get("error")).contains("has no version 7");
    }

    /** A running instance of version 7 of the workflow, which has only version 1, waiting for its step "tag". */
    private String ghostInstance(String workflowId, String contactId) {
        String id = UUID.randomUUID().toString();
        TriggerEvent t = trigger("Contact.Identified", contactId, null, Map.of());
        String state = JsonCodec.encode(Map.of("trigger", t, "steps", List.of(Map.of("stepId", "tag", "action",
                "ContactUpdate", "status", "running", "attempts", 1, "commandId", id + ":tag:1",
                "startedAt", Instant.now().toString(), "dueAt", Instant.now().plusSeconds(300).toString()))));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        pool.preparedQuery("INSERT INTO workflow_instance (id, workspace_id, workflow_id, version, contact_id, "
                        + "trigger_event_id, status, started_at, next_due_at, state_json) "
                        + "VALUES ($1, $2, $3, 7, $4, $5, 'running', $6, $7, $8)")
                .execute(Tuple.from(List.of(id, WS, workflowId, contactId, t.eventId(), now, now.plusMinutes(5),
                        state))).await().indefinitely();
        return id;
    }

    @Test
    void aForgedResultWithHugeIdsIsRecordedAsIgnoredAndTheNextResultApplies() {
        String wf = oneStepWorkflow("Contact.Identified");
        send(trigger("Contact.Identified", "c-forged", null, Map.of()));
        String id = awaitInstance(wf, "c-forged");
        ActionCommand command = awaitCommand(id, "tag");
        double ignoredBefore = ignored();
        String huge = "x".repeat(5000);
        ActionResult forged = new ActionResult(huge, huge, huge, huge, huge, Map.of(), null, Instant.now());

        sendInOrder(Topics.ACTION_RESULTS, partitionOf(id), List.of(new String[] {id, JsonCodec.encode(forged)},
                new String[] {id, JsonCodec.encode(result(command, "Success"))}));

        assertThat(paths(awaitEnded(id, "completed"))).containsExactly("tag=Success");
        assertThat(ignored()).isEqualTo(ignoredBefore + 1);
    }

    private double ignored() {
        Counter c = metrics.find("engageflow.results.ignored").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aTriggerThatIsNotATriggerIsParkedAndTheTriggerBehindItStarts() {
        ConsumerTask<String, String> dlq = consumeFromEnd(List.of(Topics.WORKFLOW_TRIGGERS + ".dlq"));
        String wf = oneStepWorkflow("Card.Completed");
        TriggerEvent good = trigger("Card.Completed", "c-behind", null, Map.of());

        sendInOrder(Topics.WORKFLOW_TRIGGERS, partitionOf("c-behind"), List.of(
                new String[] {"c-behind", "{\"eventId\": \"no-contact\", \"type\": \"Card.Completed\"}"},
                new String[] {"c-behind", JsonCodec.encode(good)}));

        awaitCommand(awaitInstance(wf, "c-behind"), "tag");
        Map<String, Object> parked = JsonCodec.toMap(awaitOne(dlq).value());
        assertThat((String) parked.get("error")).contains("contact.id are required");
    }

    @Test
    void aStepWhoseCommandWouldBeTooLargeForTheBrokerFailsItsInstance() {
        String wf = createActive("""
                {"name": "big", "trigger": {"type": "Webhook.Received"},
                 "steps": [{"id": "hook", "action": "HttpRequest", "config": {"url": "https://example.com/h",
                   "method": "POST", "body": {"a": "{{trigger.data.big}}", "b": "{{trigger.data.big}}",
                                              "c": "{{trigger.data.big}}", "d": "{{trigger.data.big}}"}}}]}""");
        send(trigger("Webhook.Received", new ContactSnapshot("c-big", null, null, null, null, Map.of()),
                Map.of("big", "y".repeat(200_000))));

        Map<String, Object> failed = awaitEnded(awaitInstance(wf, "c-big"), "failed");
        Map<?, ?> error = (Map<?, ?>) step(failed, "hook").get("error");
        assertThat(error.get("code")).isEqualTo("PayloadTooLarge");
        assertThat((String) error.get("message")).contains("more than the");
    }
}
