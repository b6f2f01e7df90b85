package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerTypes;
import io.engageflow.reward.actions.ProfileChanges.Events;
import io.engageflow.reward.domain.RewardProfile;
import io.engageflow.runtime.events.PlatformEvents.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The platform events of this service's effects, each only for what really changed (CONTRACT.md). */
final class RewardEvents {
    private RewardEvents() {
    }

    /**
     * The contact a reward event carries: the command's, without its properties. This service does not know the
     * contact's current properties, and a stale copy dated at the event would overwrite newer values wherever the
     * event's snapshot is merged (contact-actions merges a snapshot as of its trigger's time).
     */
    static ContactSnapshot contactOf(ActionCommand command) {
        ContactSnapshot c = command.contact();
        return new ContactSnapshot(c.id(), c.email(), c.phone(), c.firstName(), c.lastName(), Map.of());
    }

    /*
     * The reason (and redemption) an event carries is the config's value as sent: a number stays a number, blank stays
     * blank, absent is null — what an Object component of a config record reads. The event factories of
     * ProfileAction's table are given the command, not its decoded record, so they read it from command.config().
     */

    /** Loyalty.PointsAwarded: the points added, the balance after, the config's reason. */
    static Events pointsAwarded(ActionCommand command) {
        return (before, after) -> List.of(Event.of(TriggerTypes.LOYALTY_POINTS_AWARDED,
                points(after.points() - before.points(), after, command.config().get("reason"))));
    }

    /** Loyalty.PointsRedeemed: the points taken, the balance after, the config's redemption as the reason. */
    static Events pointsRedeemed(ActionCommand command) {
        return (before, after) -> List.of(Event.of(TriggerTypes.LOYALTY_POINTS_REDEEMED,
                points(before.points() - after.points(), after, command.config().get("redemption"))));
    }

    /** Loyalty.TierChanged: the tier before and after (null for none), when they differ. */
    static final Events TIER_CHANGED = (before, after) -> {
        if (Objects.equals(before.tier(), after.tier())) {
            return List.of();
        }
        Map<String, Object> data = new LinkedHashMap<>(); // from or to may be null: no Map.of
        data.put("from", before.tier());
        data.put("to", after.tier());
        return List.of(Event.of(TriggerTypes.LOYALTY_TIER_CHANGED, data));
    };

    /** Achievement.Assigned: each achievement the contact did not have. */
    static final Events ACHIEVEMENT_ASSIGNED = (before, after) -> {
        List<String> had = before.achievements();
        List<Event> events = new ArrayList<>();
        for (String achievement : after.achievements()) {
            if (!had.contains(achievement)) {
                events.add(new Event(TriggerTypes.ACHIEVEMENT_ASSIGNED, achievement,
                        Map.of("achievement", achievement)));
            }
        }
        return events;
    };

    private static Map<String, Object> points(long points, RewardProfile after, Object reason) {
        Map<String, Object> data = new LinkedHashMap<>(); // the reason may be missing: no Map.of
        data.put("points", points);
        data.put("total_points", after.points());
        data.put("reason", reason);
        return data;
    }
}
