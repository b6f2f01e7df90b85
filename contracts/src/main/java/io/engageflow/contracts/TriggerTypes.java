package io.engageflow.contracts;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The trigger types upstream platforms may publish (CONTRACT.md), with their aliases, and the platform events the
 * action services publish when a step really changed a contact's data (CONTRACT.md, "Platform events").
 */
public final class TriggerTypes {
    /** {@code data.list}: the contact became a member of the list. */
    public static final String CONTACT_LIST_ADDED = "Contact.ListAdded";
    /** {@code data.list}: the contact stopped being a member of the list. */
    public static final String CONTACT_LIST_REMOVED = "Contact.ListRemoved";
    /** {@code data.changes: {key: {old, new}}}: the properties whose value changed. */
    public static final String CONTACT_PROPERTY_UPDATED = "Contact.PropertyUpdated";
    /** {@code data.tag}: a tag the contact did not have. */
    public static final String CONTACT_TAG_ADDED = "Contact.TagAdded";
    /** {@code data.points}, {@code data.total_points}, {@code data.reason}. */
    public static final String LOYALTY_POINTS_AWARDED = "Loyalty.PointsAwarded";
    /** {@code data.points}, {@code data.total_points}, {@code data.reason} (the redemption). */
    public static final String LOYALTY_POINTS_REDEEMED = "Loyalty.PointsRedeemed";
    /** {@code data.from}, {@code data.to}: the tier before and after (null: none). */
    public static final String LOYALTY_TIER_CHANGED = "Loyalty.TierChanged";
    /** {@code data.offer}, {@code data.count}: coupons of the offer issued to the contact. */
    public static final String COUPON_ISSUED = "Coupon.Issued";
    /** {@code data.achievement}: an achievement the contact did not have. */
    public static final String ACHIEVEMENT_ASSIGNED = "Achievement.Assigned";

    /** The events action services publish on {@code triggers.inbound}, each with its causation. */
    public static final Set<String> PLATFORM_EVENTS = Set.copyOf(List.of(CONTACT_LIST_ADDED, CONTACT_LIST_REMOVED,
            CONTACT_PROPERTY_UPDATED, CONTACT_TAG_ADDED, LOYALTY_POINTS_AWARDED, LOYALTY_POINTS_REDEEMED,
            LOYALTY_TIER_CHANGED, COUPON_ISSUED, ACHIEVEMENT_ASSIGNED));

    private static final Set<String> CANONICAL = new LinkedHashSet<>(List.of(
            "Gameplay.DataCaptured", "Gameplay.DataCapturedQualified", "Gameplay.Action", "Gameplay.Ended",
            "Competition.EntrySubmitted", "Prize.Awarded", LOYALTY_POINTS_AWARDED, CONTACT_LIST_ADDED,
            "Card.Completed", "Contact.Identified", CONTACT_PROPERTY_UPDATED, "Webhook.Received",
            CONTACT_LIST_REMOVED, CONTACT_TAG_ADDED, LOYALTY_POINTS_REDEEMED, LOYALTY_TIER_CHANGED, COUPON_ISSUED,
            ACHIEVEMENT_ASSIGNED));

    /** Alias → canonical name. {@code DataCaptured} is the product's short name for Gameplay.DataCaptured. */
    private static final Map<String, String> ALIASES = Map.of("DataCaptured", "Gameplay.DataCaptured");

    private TriggerTypes() {
    }

    /** The canonical name of a known type or alias, empty for an unknown one. */
    public static Optional<String> canonical(String type) {
        if (type == null) {
            return Optional.empty();
        }
        if (CANONICAL.contains(type)) {
            return Optional.of(type);
        }
        return Optional.ofNullable(ALIASES.get(type));
    }

    public static Set<String> all() {
        Set<String> all = new LinkedHashSet<>(CANONICAL);
        all.addAll(ALIASES.keySet());
        return all;
    }
}
