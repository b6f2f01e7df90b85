package io.engageflow.contracts.catalog;

import static io.engageflow.contracts.catalog.Category.CONTACT;
import static io.engageflow.contracts.catalog.Category.INTEGRATION;
import static io.engageflow.contracts.catalog.Category.REWARD;
import static io.engageflow.contracts.catalog.ConfigKey.optional;
import static io.engageflow.contracts.catalog.ConfigKey.required;
import static io.engageflow.contracts.catalog.ConfigKey.withDefault;
import static io.engageflow.contracts.catalog.OutputPaths.INSUFFICIENT_POINTS;
import static io.engageflow.contracts.catalog.OutputPaths.NOT_FOUND;
import static io.engageflow.contracts.catalog.OutputPaths.OFFER_EXPIRED;
import static io.engageflow.contracts.catalog.OutputPaths.OFFER_LIMITS_EXCEEDED;
import static io.engageflow.contracts.catalog.OutputPaths.SUCCESS;
import static io.engageflow.contracts.catalog.ValueType.ANY;
import static io.engageflow.contracts.catalog.ValueType.BOOLEAN;
import static io.engageflow.contracts.catalog.ValueType.CONDITION;
import static io.engageflow.contracts.catalog.ValueType.CRITERIA;
import static io.engageflow.contracts.catalog.ValueType.LIST;
import static io.engageflow.contracts.catalog.ValueType.MAP;
import static io.engageflow.contracts.catalog.ValueType.NUMBER;
import static io.engageflow.contracts.catalog.ValueType.STRING;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every action of CONTRACT.md: its category (which service runs it), config keys, output paths and outputs. The one
 * place an action is declared; the orchestrator validates definitions against it and each action service checks at
 * start-up that it has a handler for every action of its category.
 */
public final class ActionCatalog {
    public static final String SALESFORCE = "salesforce";
    public static final String MAILCHIMP = "mailchimp";
    public static final String BRAZE = "braze";
    public static final String LOCALCARD = "localcard";
    public static final String THUZI = "thuzi";

    private static final Map<String, ActionSpec> ACTIONS = new LinkedHashMap<>();

    static {
        // contact-actions-service
        add(new Builder("ContactUpdate", CONTACT).key(optional("properties", MAP)).key(optional("addTags", LIST))
                .key(optional("removeTags", LIST)).oneOf("properties", "addTags", "removeTags"));
        add(new Builder("ContactFilter", CONTACT).key(required("condition", CONDITION)).readOnly());
        add(new Builder("ContactAddToList", CONTACT).key(required("list", STRING)));
        add(new Builder("ContactRemoveFromList", CONTACT).key(required("list", STRING)));
        add(new Builder("ContactEmailSend", CONTACT).key(required("subject", STRING)).key(optional("body", STRING))
                .key(optional("template", STRING)).key(optional("to", STRING)).oneOf("body", "template")
                .outputs("message_id"));
        add(new Builder("ContactSmsSend", CONTACT).key(required("message", STRING)).key(optional("to", STRING))
                .outputs("message_id"));

        // reward-actions-service
        add(new Builder("ContactCouponIssue", REWARD).key(required("offer", STRING))
                .key(withDefault("quantity", NUMBER, 1)).key(optional("contactLimit", NUMBER))
                .key(withDefault("allowPartialAward", BOOLEAN, false))
                .paths(OFFER_LIMITS_EXCEEDED, OFFER_EXPIRED)
                .outputs("coupon_id", "coupon_link", "coupon_code", "coupon_count"));
        add(new Builder("AssignContactAchievement", REWARD).key(required("achievement", STRING)));
        add(new Builder("ContactVaultCardIssue", REWARD).key(required("cardTemplate", STRING))
                .outputs("card_id", "card_link"));
        add(new Builder("LoyaltyAwardPoints", REWARD).key(required("points", NUMBER)).key(optional("reason", STRING))
                .outputs("points_awarded", "total_points"));
        add(new Builder("LoyaltyRedeemPoints", REWARD).key(required("points", NUMBER))
                .key(optional("redemption", STRING)).paths(INSUFFICIENT_POINTS).outputs("total_points"));
        add(new Builder("LoyaltyAddToTier", REWARD).key(required("tier", STRING)));
        add(new Builder("LoyaltyRemoveFromTier", REWARD).key(required("tier", STRING)));
        add(new Builder("AssignBonusCompetitionEntries", REWARD).key(required("entries", NUMBER))
                .key(optional("competitionId", STRING)).outputs("total_entries"));
        add(new Builder("CompetitionEntryAddTags", REWARD).key(required("tags", LIST)));
        add(new Builder("CompetitionEntryRemoveTags", REWARD).key(required("tags", LIST)));
        add(new Builder("GameplayFilter", REWARD).key(required("condition", CONDITION)).readOnly());
        add(new Builder("AssignGameplayScore", REWARD).key(required("score", NUMBER)).key(optional("context", STRING)));

        // integration-actions-service
        add(new Builder("SalesforceCreateObject", INTEGRATION).provider(SALESFORCE)
                .key(required("objectType", STRING)).key(required("fields", MAP)).outputs("object_id"));
        add(new Builder("SalesforceUpdateObject", INTEGRATION).provider(SALESFORCE)
                .key(required("objectType", STRING)).key(required("objectId", STRING)).key(required("fields", MAP))
                .paths(NOT_FOUND));
        add(new Builder("SalesforceGetObject", INTEGRATION).provider(SALESFORCE).key(required("objectType", STRING))
                .key(optional("objectId", STRING)).key(optional("where", CRITERIA)).oneOf("objectId", "where")
                .paths(NOT_FOUND).outputs("object"));
        add(new Builder("MailchimpUpsert", INTEGRATION).provider(MAILCHIMP).key(required("listId", STRING))
                .key(required("email", STRING)).key(optional("mergeFields", MAP)));
        add(new Builder("MailchimpAddTags", INTEGRATION).provider(MAILCHIMP).key(required("listId", STRING))
                .key(required("tags", LIST)).key(optional("email", STRING)));
        add(new Builder("MailchimpRemoveTags", INTEGRATION).provider(MAILCHIMP).key(required("listId", STRING))
                .key(required("tags", LIST)).key(optional("email", STRING)));
        for (String name : List.of("MailchimpUnsubscribe", "MailchimpArchive", "MailchimpDelete")) {
            add(new Builder(name, INTEGRATION).provider(MAILCHIMP).key(required("listId", STRING))
                    .key(required("email", STRING)));
        }
        add(new Builder("BrazeTrackUser", INTEGRATION).provider(BRAZE).key(required("eventName", STRING))
                .key(optional("properties", MAP)));
        add(new Builder("LocalCardSendCardFromTemplate", INTEGRATION).provider(LOCALCARD)
                .key(required("cardTemplateId", STRING)).key(required("cardValue", NUMBER))
                .key(withDefault("deliveryMethod", STRING, "Email")).key(optional("recipientMessage", STRING))
                .key(optional("communicationMessage", STRING)).key(optional("deliverAt", STRING))
                .outputs("card_id", "card_link"));
        add(new Builder("LocalCardGenerateCampaignGift", INTEGRATION).provider(LOCALCARD)
                .key(required("campaignId", STRING)).key(required("giftValue", NUMBER))
                .key(withDefault("deliveryMethod", STRING, "Link")).key(optional("recipientMessage", STRING))
                .outputs("gift_id", "gift_link"));
        add(new Builder("ContactThuziCheckIn", INTEGRATION).provider(THUZI).key(required("eventId", STRING)));
        add(new Builder("HttpRequest", INTEGRATION).key(required("url", STRING))
                .key(withDefault("method", STRING, "POST")).key(optional("headers", MAP)).key(optional("body", ANY))
                .key(withDefault("timeoutMs", NUMBER, 10000)).outputs("status", "body"));
    }

    private ActionCatalog() {
    }

    public static Optional<ActionSpec> find(String action) {
        return Optional.ofNullable(action == null ? null : ACTIONS.get(action));
    }

    public static Collection<ActionSpec> all() {
        return ACTIONS.values();
    }

    public static List<ActionSpec> ofCategory(Category category) {
        return ACTIONS.values().stream().filter(a -> a.category() == category).toList();
    }

    /** The config of a command as an action sees it: defaults filled in for keys the definition left out. */
    public static Map<String, Object> withDefaults(ActionSpec spec, Map<String, Object> config) {
        Map<String, Object> all = new LinkedHashMap<>(config);
        for (ConfigKey key : spec.config()) {
            if (key.defaultValue() != null) {
                all.putIfAbsent(key.name(), key.defaultValue());
            }
        }
        return all;
    }

    private static void add(Builder b) {
        ACTIONS.put(b.name, new ActionSpec(b.name, b.category, b.keys, b.oneOf, new java.util.LinkedHashSet<>(b.paths), b.outputs,
                b.provider, b.readOnly));
    }

    private static final class Builder {
        private final String name;
        private final Category category;
        private final List<ConfigKey> keys = new ArrayList<>();
        private final List<List<String>> oneOf = new ArrayList<>();
        private final List<String> paths = new ArrayList<>(List.of(SUCCESS));
        private final List<String> outputs = new ArrayList<>();
        private String provider;
        private boolean readOnly;

        Builder(String name, Category category) {
            this.name = name;
            this.category = category;
        }

        Builder key(ConfigKey key) {
            keys.add(key);
            return this;
        }

        Builder oneOf(String... names) {
            oneOf.add(List.of(names));
            return this;
        }

        Builder paths(String... more) {
            paths.addAll(List.of(more));
            return this;
        }

        Builder outputs(String... names) {
            outputs.addAll(List.of(names));
            return this;
        }

        Builder provider(String p) {
            provider = p;
            return this;
        }

        /** Free of effects: only reads, so a test run runs it for real (SalesforceGetObject calls out: not so). */
        Builder readOnly() {
            readOnly = true;
            return this;
        }
    }
}
