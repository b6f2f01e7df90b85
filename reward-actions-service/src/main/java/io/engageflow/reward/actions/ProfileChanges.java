package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.reward.domain.ProfileChange;
import io.engageflow.reward.domain.RewardConfig;
import io.engageflow.reward.domain.RewardProfile;
import io.engageflow.reward.persistence.ProfileStore;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Applies a rule of {@link RewardProfile} to the command's contact inside the command's transaction: the profile row
 * is locked (created on first use) in one statement, and written back in a second only when the rule changed it.
 */
@ApplicationScoped
public class ProfileChanges {
    private final ProfileStore profiles;

    public ProfileChanges(ProfileStore profiles) {
        this.profiles = profiles;
    }

    public Uni<ActionOutcome> apply(ActionCommand command, SqlConnection tx,
                                    Function<RewardProfile, ProfileChange> rule) {
        String workspaceId = command.workspaceId();
        String contactId = command.contact().id();
        Instant now = Instant.now();
        return profiles.lock(tx, workspaceId, contactId, now).chain(profile -> {
            ProfileChange change = rule.apply(profile);
            return change.changed() == null ? Uni.createFrom().item(change.outcome())
                    : profiles.save(tx, workspaceId, contactId, change.changed(), now).replaceWith(change.outcome());
        });
    }

    /** The rule with a value read from the config; a value that could not be read is the InvalidConfig failure. */
    public <T> Uni<ActionOutcome> apply(ActionCommand command, SqlConnection tx, Decoded<T> value,
                                        BiFunction<RewardProfile, T, ProfileChange> rule) {
        return value.isOk() ? apply(command, tx, profile -> rule.apply(profile, value.value()))
                : Uni.createFrom().item(RewardConfig.invalid(value));
    }
}
