package io.engageflow.contracts;

/** Kafka topic names fixed by CONTRACT.md. Keys are noted beside each. */
public final class Topics {
    /** Upstream platforms → trigger-service; key: contact id. */
    public static final String TRIGGERS_INBOUND = "triggers.inbound";
    /** trigger-service → operators: the original record and the reason; key: contact id. */
    public static final String TRIGGERS_REJECTED = "triggers.rejected";
    /** trigger-service → orchestrator: validated, de-duplicated triggers; key: contact id. */
    public static final String WORKFLOW_TRIGGERS = "workflow.triggers";
    public static final String CONTACT_COMMANDS = "actions.contact.commands";
    public static final String REWARD_COMMANDS = "actions.reward.commands";
    public static final String INTEGRATION_COMMANDS = "actions.integration.commands";
    /** Action services → orchestrator; key: instance id. */
    public static final String ACTION_RESULTS = "actions.results";
    /** Orchestrator → anyone: instance started / step completed / instance ended; key: instance id. */
    public static final String WORKFLOW_EVENTS = "workflow.events";
    /** Orchestrator → every service: live API keys (ApiKeyGrant, tombstone when revoked); compacted; key: key id. */
    public static final String API_KEYS = "auth.api-keys";
    /** Every service → orchestrator: a key was used (ApiKeyUse), for its lastUsedAt; key: key id. */
    public static final String API_KEY_USES = "auth.api-keys.used";

    /*
     * Dead letters (CONTRACT.md): a record of a consumed topic that can never be processed is parked on
     * <topic>.dlq as {"topic", "partition", "offset", "key", "original", "error", "attempts", "service", "at"}.
     */
    public static final String TRIGGERS_INBOUND_DLQ = dlq(TRIGGERS_INBOUND);
    public static final String WORKFLOW_TRIGGERS_DLQ = dlq(WORKFLOW_TRIGGERS);
    public static final String CONTACT_COMMANDS_DLQ = dlq(CONTACT_COMMANDS);
    public static final String REWARD_COMMANDS_DLQ = dlq(REWARD_COMMANDS);
    public static final String INTEGRATION_COMMANDS_DLQ = dlq(INTEGRATION_COMMANDS);
    public static final String ACTION_RESULTS_DLQ = dlq(ACTION_RESULTS);

    private Topics() {
    }

    /** The dead-letter topic of a consumed topic. */
    public static String dlq(String topic) {
        return topic + ".dlq";
    }
}
