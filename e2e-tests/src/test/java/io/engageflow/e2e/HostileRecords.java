package io.engageflow.e2e;

import io.engageflow.contracts.Topics;
import io.engageflow.contracts.json.JsonCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Every kind of record the mesh must refuse or park rather than act on, and what must become of each. Each record
 * is made for a key {@code h<n>.<kind>} that names it wherever it ends up: the record key of triggers.rejected and
 * of a dead letter, the contact of an instance, the commandId of a result the orchestrator records as ignored.
 */
final class HostileRecords {
    /** What must become of a record of a kind. */
    enum Outcome {
        /** On triggers.rejected, once per record, with a reason holding the expectation. */
        REJECTED,
        /** Parked on {@code <topic>.dlq} with an error holding the expectation. */
        PARKED,
        /** Read by the orchestrator and recorded as an ignored result, its reason holding the expectation. */
        IGNORED,
        /** Accepted at the edge (its data is free-form) and its instance ends failed, the Delay's error holding it. */
        FAILED_RUN
    }

    /** A kind: its name, topic, outcome, the text its reason or error must hold, and how a record is made. */
    record Kind(String name, String topic, Outcome outcome, String expectation,
                Function<String, ProducerRecord<String, String>> make) {
    }

    /** The largest record a producer sends by default is 1 MiB with its overhead: this stays just under. */
    static final int NEAR_BROKER_LIMIT = 1_040_000;
    /** Over the edge's 256 KiB (engageflow.triggers.max-bytes). */
    static final int OVER_TRIGGER_LIMIT = 300_000;

    private final String workspace;
    private final Supplier<String> finishedInstance;
    private final List<Kind> kinds = new ArrayList<>();

    /**
     * @param finishedInstance an instance of the run that has completed, or null while there is none (a forged
     *                         result for a finished instance is then not sent yet)
     */
    HostileRecords(String workspace, Supplier<String> finishedInstance) {
        this.workspace = workspace;
        this.finishedInstance = finishedInstance;
        inboundTriggers();
        delayTemplates();
        results();
        for (String topic : List.of(Topics.CONTACT_COMMANDS, Topics.REWARD_COMMANDS, Topics.INTEGRATION_COMMANDS)) {
            commands(topic);
        }
        String wt = Topics.WORKFLOW_TRIGGERS;
        kind("workflow-trigger-bad-json", wt, Outcome.PARKED, "malformed JSON",
                key -> record(wt, key, "{\"eventId\": \"" + key + "\", \"type\": "));
        kind("workflow-trigger-no-ids", wt, Outcome.PARKED, "eventId, workspaceId, type and contact.id are required",
                key -> record(wt, key, JsonCodec.encode(Map.of("type", "Gameplay.DataCaptured"))));
    }

    List<Kind> kinds() {
        return kinds;
    }

    /** The key that names a hostile record: its kind after the dot (and before any '|' a long id goes on with). */
    static String kindOf(String key) {
        int dot = key.indexOf('.');
        int bar = key.indexOf('|');
        return key.substring(dot + 1, bar < 0 ? key.length() : bar);
    }

    static boolean isHostile(String key) {
        return key != null && key.matches("h\\d+\\..*");
    }

    private void kind(String name, String topic, Outcome outcome, String expectation,
                      Function<String, ProducerRecord<String, String>> make) {
        kinds.add(new Kind(name, topic, outcome, expectation, make));
    }

    private static ProducerRecord<String, String> record(String topic, String key, String value) {
        return new ProducerRecord<>(topic, key, value);
    }

    /** A trigger of the bench workflow's type that would start an instance if the edge let it through. */
    private Map<String, Object> trigger(String key) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("eventId", key);
        t.put("type", "DataCaptured");
        t.put("workspaceId", workspace);
        t.put("contact", Map.of("id", key, "email", key + "@example.com"));
        return t;
    }

    private ProducerRecord<String, String> inbound(String key, Function<Map<String, Object>, Object> change) {
        Map<String, Object> t = trigger(key);
        change.apply(t);
        return record(Topics.TRIGGERS_INBOUND, key, JsonCodec.encode(t));
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private void inboundTriggers() {
        String in = Topics.TRIGGERS_INBOUND;
        // cut inside the contact: Jackson reports it from the contact's deserializer, so the reason reads "not a
        // valid TriggerEvent: Unexpected end-of-input" rather than "malformed JSON"
        kind("bad-json", in, Outcome.REJECTED, "Unexpected end-of-input", key -> record(in, key,
                "{\"eventId\": \"" + key + "\", \"type\": \"DataCaptured\", \"contact\": {\"id\": "));
        kind("not-an-object", in, Outcome.REJECTED, "not a valid TriggerEvent",
                key -> record(in, key, "[\"" + key + "\", 1, 2]"));
        kind("empty", in, Outcome.REJECTED, "empty record", key -> record(in, key, ""));
        kind("tombstone", in, Outcome.REJECTED, "empty record", key -> record(in, key, null));
        kind("no-event-id", in, Outcome.REJECTED, "eventId is required", key -> inbound(key, t -> t.remove("eventId")));
        kind("no-type", in, Outcome.REJECTED, "type is required", key -> inbound(key, t -> t.remove("type")));
        kind("no-workspace", in, Outcome.REJECTED, "workspaceId is required",
                key -> inbound(key, t -> t.remove("workspaceId")));
        kind("no-contact", in, Outcome.REJECTED, "contact is required", key -> inbound(key, t -> t.remove("contact")));
        kind("unknown-type", in, Outcome.REJECTED, "unknown trigger type",
                key -> inbound(key, t -> t.put("type", "Nope.Happened")));
        kind("over-trigger-limit", in, Outcome.REJECTED, "more than the 262144 allowed",
                key -> inbound(key, t -> t.put("data", Map.of("pad", "x".repeat(OVER_TRIGGER_LIMIT)))));
        kind("near-broker-limit", in, Outcome.REJECTED, "more than the 262144 allowed",
                key -> inbound(key, t -> t.put("data", Map.of("pad", "x".repeat(NEAR_BROKER_LIMIT)))));
        kind("value-over-limit", in, Outcome.REJECTED, "allowed for one value",
                key -> inbound(key, t -> t.put("data", Map.of("pad", "x".repeat(40_000)))));
        kind("too-many-properties", in, Outcome.REJECTED, "entries, more than the 200 allowed", key -> inbound(key,
                t -> {
                    Map<String, Object> data = new LinkedHashMap<>();
                    for (int i = 0; i < 201; i++) {
                        data.put("p" + i, i);
                    }
                    return t.put("data", data);
                }));
        kind("nested-40", in, Outcome.REJECTED, "levels deep", key -> record(in, key,
                JsonCodec.encode(trigger(key)).replaceFirst("\\}$", ", \"data\": {\"deep\": " + nested(40) + "}}")));
        kind("nested-5000", in, Outcome.REJECTED, "nesting depth", key -> record(in, key,
                JsonCodec.encode(trigger(key)).replaceFirst("\\}$", ", \"data\": {\"deep\": " + nested(5000) + "}}")));
        kind("occurred-far-future", in, Outcome.REJECTED, "after its receipt",
                key -> inbound(key, t -> t.put("occurredAt", "9999-12-31T23:59:59Z")));
        kind("occurred-ancient", in, Outcome.REJECTED, "before its receipt",
                key -> inbound(key, t -> t.put("occurredAt", "1970-01-01T00:00:00Z")));
        kind("occurred-not-a-date", in, Outcome.REJECTED, "not a valid TriggerEvent",
                key -> inbound(key, t -> t.put("occurredAt", "last Tuesday")));
        kind("control-char-in-id", in, Outcome.REJECTED, "contact.id contains control characters",
                key -> inbound(key, t -> t.put("contact", Map.of("id", key + "\u0000\u0007"))));
    }

    /** Valid triggers whose data a workflow's Delay reads as its time: the instance must fail, never wait. */
    private void delayTemplates() {
        String in = Topics.TRIGGERS_INBOUND;
        kind("delay-until-far-future", in, Outcome.FAILED_RUN, "further than the 400 days",
                key -> delayTrigger(key, "Gameplay.Ended", Map.of("at", "9999-12-31T23:59:59Z")));
        kind("delay-until-not-a-date", in, Outcome.FAILED_RUN, "Delay has no valid time",
                key -> delayTrigger(key, "Gameplay.Ended", Map.of("at", "next week")));
        kind("delay-for-overflow", in, Outcome.FAILED_RUN, "Delay has no valid time",
                key -> delayTrigger(key, "Card.Completed", Map.of("wait", "PT8784000000000H")));
        kind("delay-for-too-long", in, Outcome.FAILED_RUN, "further than the 400 days",
                key -> delayTrigger(key, "Card.Completed", Map.of("wait", "P500D")));
    }

    private ProducerRecord<String, String> delayTrigger(String key, String type, Map<String, Object> data) {
        return inbound(key, t -> {
            t.put("type", type);
            return t.put("data", data);
        });
    }

    /** A result as an action service would publish it, for the instance and step given. */
    private static String result(String commandId, String instanceId, String stepId) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("commandId", commandId);
        r.put("instanceId", instanceId);
        r.put("stepId", stepId);
        r.put("action", "HttpRequest");
        r.put("path", "Failure");
        r.put("outputs", Map.of());
        r.put("error", Map.of("code", "Forged", "message", "a forged result"));
        r.put("completedAt", Instant.now().toString());
        return JsonCodec.encode(r);
    }

    private void results() {
        String results = Topics.ACTION_RESULTS;
        kind("result-bad-json", results, Outcome.PARKED, "malformed JSON",
                key -> record(results, key, "{\"commandId\": \"" + key + "\", \"instanceId\": "));
        kind("result-no-ids", results, Outcome.PARKED, "instanceId and stepId are required",
                key -> record(results, key, JsonCodec.encode(Map.of("commandId", key, "path", "Success"))));
        kind("result-near-broker-limit", results, Outcome.PARKED, "record too large",
                key -> record(results, key, "{\"commandId\": \"" + key + "\", \"pad\": \""
                        + "x".repeat(NEAR_BROKER_LIMIT) + "\"}"));
        kind("result-unknown-instance", results, Outcome.IGNORED, "unknown instance",
                key -> record(results, key + "-instance", result(key, key + "-instance", "hook")));
        kind("result-huge-ids", results, Outcome.IGNORED, "unknown instance", key -> {
            String instance = key + "|" + "i".repeat(5000);
            return record(results, key, result(key + "|" + "c".repeat(5000), instance, "s".repeat(5000)));
        });
        kind("result-finished-instance", results, Outcome.IGNORED, "instance is completed", key -> {
            String instance = finishedInstance.get();
            return instance == null ? null : record(results, instance, result(key, instance, "hook"));
        });
    }

    private void commands(String topic) {
        String service = topic.split("\\.")[1]; // actions.<service>.commands
        kind(service + "-command-bad-json", topic, Outcome.PARKED, "malformed JSON",
                key -> record(topic, key, "{\"commandId\": \"" + key + "\", \"action\": "));
        kind(service + "-command-no-fields", topic, Outcome.PARKED, "commandId is required",
                key -> record(topic, key, JsonCodec.encode(Map.of("action", "ContactCouponIssue"))));
        // a well-formed command for an action no service has, of an instance that does not exist: answered
        // UnknownAction, and the orchestrator ignores the answer
        kind(service + "-command-unknown-action", topic, Outcome.IGNORED, "unknown instance", key -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("commandId", key);
            c.put("instanceId", key + "-instance");
            c.put("stepId", "forged");
            c.put("attempt", 1);
            c.put("workspaceId", workspace);
            c.put("action", "Nope");
            c.put("config", Map.of());
            c.put("contact", Map.of("id", key));
            return record(topic, key + "-instance", JsonCodec.encode(c));
        });
    }
}
