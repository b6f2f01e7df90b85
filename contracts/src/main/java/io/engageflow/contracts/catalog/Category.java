package io.engageflow.contracts.catalog;

import io.engageflow.contracts.Topics;

/** Which action service runs an action, and so which topic its commands go to. */
public enum Category {
    CONTACT(Topics.CONTACT_COMMANDS),
    REWARD(Topics.REWARD_COMMANDS),
    INTEGRATION(Topics.INTEGRATION_COMMANDS);

    private final String commandTopic;

    Category(String commandTopic) {
        this.commandTopic = commandTopic;
    }

    public String commandTopic() {
        return commandTopic;
    }
}
