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
    /** Action services → operators: command records that could not even be read (added to the contract). */
    public static final String COMMANDS_REJECTED = "actions.commands.rejected";

    private Topics() {
    }
}
