package io.engageflow.contracts;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The trigger types upstream platforms may publish (CONTRACT.md), with their aliases. */
public final class TriggerTypes {
    private static final Set<String> CANONICAL = new LinkedHashSet<>(java.util.List.of(
            "Gameplay.DataCaptured", "Gameplay.DataCapturedQualified", "Gameplay.Action", "Gameplay.Ended",
            "Competition.EntrySubmitted", "Prize.Awarded", "Loyalty.PointsAwarded", "Contact.ListAdded",
            "Card.Completed", "Contact.Identified", "Contact.PropertyUpdated", "Webhook.Received"));

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
