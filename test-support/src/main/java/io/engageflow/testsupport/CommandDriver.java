package io.engageflow.testsupport;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.Causation;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;

/**
 * Plays the orchestrator for an action service under test: sends commands to its topic over the real broker and
 * reads the results it publishes on {@code actions.results}.
 */
public final class CommandDriver implements AutoCloseable {
    private final KafkaCompanion kafka = new KafkaCompanion(KafkaBroker.bootstrapServers());
    private final ConsumerTask<String, String> results = kafka.consumeStrings().fromTopics("actions.results");
    private final String topic;
    private final String workspace;

    public CommandDriver(String topic, String workspace) {
        this.topic = topic;
        this.workspace = workspace;
    }

    /** Step s1 of a new instance, started by a competition entry. */
    public ActionCommand command(String action, ContactSnapshot contact, Map<String, Object> config) {
        TriggerEvent trigger = new TriggerEvent(UUID.randomUUID().toString(), "Competition.EntrySubmitted", workspace,
                Instant.now(), contact, Map.of("competitionId", "summer", "entryId", "e-1"));
        return command(action, contact, config, "s1", trigger);
    }

    /**
     * Step {@code stepId} of a new instance whose trigger an earlier run caused: a Contact.ListAdded platform event
     * carrying {@code causation}.
     */
    public ActionCommand causedCommand(String action, ContactSnapshot contact, Map<String, Object> config,
                                       String stepId, Causation causation) {
        TriggerEvent trigger = new TriggerEvent(UUID.randomUUID().toString(), "Contact.ListAdded", workspace,
                Instant.now(), contact, Map.of("list", "Earlier"), causation);
        return command(action, contact, config, stepId, trigger);
    }

    private ActionCommand command(String action, ContactSnapshot contact, Map<String, Object> config, String stepId,
                                  TriggerEvent trigger) {
        String instance = UUID.randomUUID().toString();
        return new ActionCommand(instance + ":" + stepId + ":1", instance, stepId, 1, workspace, action, config,
                contact, trigger, Instant.now().plusSeconds(300), Map.of());
    }

    public void send(ActionCommand command) {
        sendRaw(command.instanceId(), JsonCodec.encode(command));
    }

    public void sendRaw(String key, String payload) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key, payload)).awaitCompletion();
    }

    /** Sends and waits for the result of that command. */
    public ActionResult run(ActionCommand command) {
        send(command);
        return awaitResult(command.commandId());
    }

    public ActionResult awaitResult(String commandId) {
        long until = System.currentTimeMillis() + Duration.ofSeconds(20).toMillis();
        while (System.currentTimeMillis() < until) {
            List<ActionResult> found = resultsFor(commandId);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            pause(100);
        }
        throw new AssertionError("no result for command " + commandId + " within 20 s");
    }

    /** Waits for the record of that command's result (with its headers). */
    public ConsumerRecord<String, String> awaitResultRecord(String commandId) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> results.getRecords().stream()
                .filter(r -> commandId.equals(JsonCodec.read(r.value(), ActionResult.class).commandId()))
                .findFirst().orElse(null), r -> r != null);
    }

    public List<ActionResult> resultsFor(String commandId) {
        return results.getRecords().stream().map(r -> JsonCodec.read(r.value(), ActionResult.class))
                .filter(r -> commandId.equals(r.commandId())).toList();
    }

    public KafkaCompanion kafka() {
        return kafka;
    }

    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        results.close();
        kafka.close();
    }
}
