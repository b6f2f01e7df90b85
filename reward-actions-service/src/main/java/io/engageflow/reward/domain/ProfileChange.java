package io.engageflow.reward.domain;

import io.engageflow.runtime.actions.ActionOutcome;

/** What a rule did to a contact's profile: the action's outcome, and the profile to store (null: nothing changed). */
public record ProfileChange(ActionOutcome outcome, RewardProfile changed) {
    public static ProfileChange to(RewardProfile changed, ActionOutcome outcome) {
        return new ProfileChange(outcome, changed);
    }

    public static ProfileChange none(ActionOutcome outcome) {
        return new ProfileChange(outcome, null);
    }
}
