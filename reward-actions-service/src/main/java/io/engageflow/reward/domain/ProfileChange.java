package io.engageflow.reward.domain;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.reward.persistence.RewardProfile;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import java.util.function.BiFunction;

/** A change of the contact's (row-locked) profile by a whole amount above 0 read from the config. */
public final class ProfileChange {
    private ProfileChange() {
    }

    public static Uni<ActionOutcome> byAmount(ActionCommand command, String key,
                                              BiFunction<RewardProfile, Long, ActionOutcome> change) {
        Long amount = ConfigValues.wholeNumber(command.config(), key).orElse(null);
        if (amount == null || amount <= 0) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG,
                    key + " must be a whole number above 0, got " + command.config().get(key)));
        }
        return RewardProfile.forUpdate(command.workspaceId(), command.contact().id())
                .map(profile -> change.apply(profile, amount));
    }
}
