package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.reward.domain.ProfileChange;
import io.engageflow.reward.domain.RewardProfile;
import io.engageflow.reward.persistence.ProfileStore;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.events.PlatformEvents;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Applies a rule of {@link RewardProfile} to the command's contact inside the command's transaction: the profile row
 * is locked (created on first use) in one statement, and written back in a second only when the rule changed it;
 * the platform events of the change (points awarded, a tier changed, …) are written in the same transaction.
 */
@ApplicationScoped
public class ProfileChanges {
    /** The platform events a change of the profile causes (none when it changed nothing an event reports). */
    @FunctionalInterface
    public interface Events {
        List<PlatformEvents.Event> of(RewardProfile before, RewardProfile after);

        Events NONE = (before, after) -> List.of();
    }

    private final ProfileStore profiles;
    private final PlatformEvents events;

    public ProfileChanges(ProfileStore profiles, PlatformEvents events) {
        this.profiles = profiles;
        this.events = events;
    }

    /** Applies {@code rule} to the contact's profile, and publishes the events {@code caused} of the change. */
    public Uni<ActionOutcome> apply(ActionCommand command, SqlConnection tx,
                                    Function<RewardProfile, ProfileChange> rule, Events caused) {
        String workspaceId = command.workspaceId();
        String contactId = command.contact().id();
        Instant now = Instant.now();
        return profiles.lock(tx, workspaceId, contactId, now).chain(profile -> {
            ProfileChange change = rule.apply(profile);
            if (change.changed() == null) {
                return Uni.createFrom().item(change.outcome());
            }
            return profiles.save(tx, workspaceId, contactId, change.changed(), now)
                    .chain(() -> events.publish(tx, command, RewardEvents.contactOf(command),
                            caused.of(profile, change.changed())))
                    .replaceWith(change.outcome());
        });
    }
}
