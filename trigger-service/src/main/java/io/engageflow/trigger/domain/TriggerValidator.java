package io.engageflow.trigger.domain;

import com.fasterxml.jackson.databind.JsonNode;
import io.engageflow.contracts.Causation;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.TriggerTypes;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.trigger.config.TriggerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and checks a trigger record or request body against the contract and the {@link TriggerSettings}; the
 * canonical type replaces an alias and occurredAt defaults to receipt. A trigger too deep in a chain of workflows is
 * refused by the {@link LoopGuard}; its causation is forwarded as it came. The same checks serve HTTP and Kafka.
 */
@ApplicationScoped
public class TriggerValidator {
    /** eventId, workspaceId and contact.id: the columns that hold them downstream are VARCHAR(200). */
    static final int MAX_ID_LENGTH = 200;
    /** The contact columns of contact-actions-service, where the snapshot is merged. */
    static final int MAX_EMAIL_LENGTH = 320;
    static final int MAX_PHONE_LENGTH = 40;
    static final int MAX_NAME_LENGTH = 200;
    /** Levels above a value of contact.properties (the trigger, contact, properties) and of data (trigger, data). */
    private static final int PROPERTY_LEVELS = 3;
    private static final int DATA_LEVELS = 2;
    /** A rejection names at most this many reasons, and quotes at most this much of a sender's text in each. */
    private static final int MAX_REASONS = 20;
    private static final int MAX_QUOTE = 100;

    private final TriggerSettings limits;
    private final LoopGuard loops;

    public TriggerValidator(TriggerSettings limits, LoopGuard loops) {
        this.limits = limits;
        this.loops = loops;
    }

    /**
     * @param workspaceFromPath the workspace of the HTTP path, or null for a Kafka record (then it is required in
     *                          the record)
     */
    public Verdict check(String payload, String workspaceFromPath, Instant receivedAt) {
        if (payload != null) {
            int bytes = JsonCodec.utf8Length(payload); // before parsing: a huge record is refused, not read
            if (bytes > limits.maxBytes()) {
                return tooLarge("the trigger is " + bytes + " bytes (UTF-8), more than the " + limits.maxBytes()
                        + " allowed", null);
            }
        }
        Decoded<TriggerEvent> decoded = JsonCodec.decode(payload, TriggerEvent.class);
        if (!decoded.isOk()) {
            // a parser's message quotes the text it choked on (a value of the record): logs get its first part only
            List<String> logged = decoded.errors().stream().map(e -> e.contains(": ") ? e.substring(0,
                    e.indexOf(": ")) : e).toList();
            return new Verdict.Rejected(decoded.errors(), logged, eventIdOf(payload), false);
        }
        TriggerEvent t = decoded.value();
        Reasons errors = new Reasons();
        String eventId = requireId(errors, "eventId", t.eventId()) ? t.eventId() : null;
        String workspace = workspaceFromPath != null ? workspaceFromPath : t.workspaceId();
        if (workspaceFromPath != null && t.workspaceId() != null && !t.workspaceId().equals(workspaceFromPath)) {
            errors.quoting("workspaceId %s does not match the path's workspace %s", t.workspaceId(),
                    workspaceFromPath);
        }
        requireId(errors, "workspaceId", workspace);
        if (t.type() == null || t.type().isBlank()) {
            errors.add("type is required");
        } else if (TriggerTypes.canonical(t.type()).isEmpty()) {
            errors.quoting("unknown trigger type %s; known: " + TriggerTypes.all(), t.type());
        }
        if (t.contact() == null) {
            errors.add("contact is required");
        } else {
            checkContact(errors, t.contact());
        }
        checkEntries(errors, "data", t.data(), DATA_LEVELS);
        if (t.causation() != null) {
            checkCausation(errors, t.causation());
        }
        Instant occurredAt = t.occurredAt() == null ? receivedAt : t.occurredAt();
        checkTime(errors, occurredAt, receivedAt);
        if (!errors.shown.isEmpty()) {
            return new Verdict.Rejected(bounded(errors.shown), bounded(errors.logged), eventId, false);
        }
        Optional<String> loop = loops.refusal(t);
        if (loop.isPresent()) {
            return new Verdict.Rejected(List.of(loop.get()), List.of(loop.get()), eventId, false, true);
        }
        TriggerEvent normal = t.withType(TriggerTypes.canonical(t.type()).orElseThrow())
                .withWorkspaceAndTime(workspace, occurredAt);
        String json = JsonCodec.encode(normal);
        int bytes = JsonCodec.utf8Length(json); // numbers written back can be longer than sent (1e9 → 1.0E9)
        if (bytes > limits.maxBytes()) {
            return tooLarge("the trigger as forwarded is " + bytes + " bytes (UTF-8), more than the "
                    + limits.maxBytes() + " allowed", eventId);
        }
        return new Verdict.Valid(normal, json);
    }

    private void checkContact(Reasons errors, ContactSnapshot contact) {
        requireId(errors, "contact.id", contact.id());
        checkText(errors, "contact.email", contact.email(), MAX_EMAIL_LENGTH);
        checkText(errors, "contact.phone", contact.phone(), MAX_PHONE_LENGTH);
        checkText(errors, "contact.firstName", contact.firstName(), MAX_NAME_LENGTH);
        checkText(errors, "contact.lastName", contact.lastName(), MAX_NAME_LENGTH);
        checkEntries(errors, "contact.properties", contact.properties(), PROPERTY_LEVELS);
    }

    /** A platform event's causation: the chain's root and depth are required, every id as the others. */
    private static void checkCausation(Reasons errors, Causation causation) {
        requireId(errors, "causation.rootEventId", causation.rootEventId());
        if (causation.instanceId() != null) {
            requireId(errors, "causation.instanceId", causation.instanceId());
        }
        if (causation.stepId() != null) {
            requireId(errors, "causation.stepId", causation.stepId());
        }
        if (causation.depth() == null || causation.depth() < 0) {
            errors.add("causation.depth is required, a whole number of at least 0");
        }
    }

    /** The entries of contact.properties or data: how many, each name, each value's size, depth and text. */
    private void checkEntries(Reasons errors, String field, Map<String, Object> entries, int levelsAbove) {
        if (entries.size() > limits.maxProperties()) {
            errors.add(field + " has " + entries.size() + " entries, more than the " + limits.maxProperties()
                    + " allowed");
            return;
        }
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            String name = field + ".%s";
            String key = e.getKey();
            if (key.length() > MAX_ID_LENGTH) {
                errors.quoting(name + " has a name longer than " + MAX_ID_LENGTH + " characters", key);
            }
            JsonShape shape = JsonShape.of(e.getValue());
            if (shape.bytes() > limits.maxValueBytes()) {
                errors.quoting(name + " is " + shape.bytes() + " bytes as JSON (UTF-8), more than the "
                        + limits.maxValueBytes() + " allowed for one value", key);
            }
            int depth = levelsAbove + shape.depth();
            if (depth > limits.maxDepth()) {
                errors.quoting(name + " nests the trigger " + depth + " levels deep, more than the "
                        + limits.maxDepth() + " allowed", key);
            }
            if (shape.hasNul() || key.indexOf('\0') >= 0) {
                errors.quoting(name + " contains the character U+0000, which cannot be stored", key);
            }
        }
    }

    private void checkTime(Reasons errors, Instant occurredAt, Instant receivedAt) {
        if (occurredAt.isBefore(receivedAt.minus(limits.maxAge()))) {
            errors.add("occurredAt " + occurredAt + " is more than " + span(limits.maxAge()) + " before its receipt");
        } else if (occurredAt.isAfter(receivedAt.plus(limits.maxAhead()))) {
            errors.add("occurredAt " + occurredAt + " is more than " + span(limits.maxAhead()) + " after its receipt");
        }
    }

    /** Whether the id is valid; if not, the reason is added. */
    private static boolean requireId(Reasons errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(field + " is required");
        } else if (value.length() > MAX_ID_LENGTH) {
            errors.add(field + " is longer than " + MAX_ID_LENGTH + " characters");
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            errors.add(field + " contains control characters");
        } else {
            return true;
        }
        return false;
    }

    /** The eventId of a record that is not a valid trigger, when it is JSON with a valid one: for logs. */
    private static String eventIdOf(String payload) {
        Decoded<JsonNode> tree = JsonCodec.parse(payload);
        JsonNode eventId = tree.isOk() ? tree.value().path("eventId") : null;
        return eventId != null && eventId.isTextual() && requireId(new Reasons(), "eventId", eventId.asText())
                ? eventId.asText() : null;
    }

    private static void checkText(Reasons errors, String field, String value, int maxLength) {
        if (value == null) {
            return;
        }
        if (value.length() > maxLength) {
            errors.add(field + " is longer than " + maxLength + " characters");
        } else if (value.indexOf('\0') >= 0) {
            errors.add(field + " contains the character U+0000, which cannot be stored");
        }
    }

    /** A limit in a reason: whole days as days ("366 days"), anything else in ISO form ("PT1H"). */
    private static String span(Duration d) {
        return d.toSeconds() % 86_400 == 0 ? d.toDays() + " days" : d.toString();
    }

    private static Verdict tooLarge(String reason, String eventId) {
        return new Verdict.Rejected(List.of(reason), List.of(reason), eventId, true);
    }

    /** A sender's text in a reason, cut: a rejection must stay small whatever was sent. */
    private static String quote(String text) {
        return text.length() <= MAX_QUOTE ? text : text.substring(0, MAX_QUOTE) + "…";
    }

    private static List<String> bounded(List<String> errors) {
        if (errors.size() <= MAX_REASONS) {
            return errors;
        }
        List<String> first = new ArrayList<>(errors.subList(0, MAX_REASONS));
        first.add("and " + (errors.size() - MAX_REASONS) + " more");
        return first;
    }

    /**
     * The reasons of a refusal twice, in the same order: as the sender reads them, quoting what it sent, and for
     * logs, where the sender's text (a type, a property's name) is left out: it may be personal data.
     */
    private static final class Reasons {
        final List<String> shown = new ArrayList<>();
        final List<String> logged = new ArrayList<>();

        void add(String reason) {
            shown.add(reason);
            logged.add(reason);
        }

        /** A reason that quotes the sender's text: each {@code %s} of the template is one, "…" in the log. */
        void quoting(String template, String... senderText) {
            shown.add(template.formatted((Object[]) Arrays.stream(senderText).map(TriggerValidator::quote)
                    .toArray(String[]::new)));
            logged.add(template.formatted(Collections.nCopies(senderText.length, "…").toArray()));
        }
    }
}
