package io.engageflow.integration.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.integration.client.BearerJsonClient;
import io.engageflow.integration.client.PathSegment;
import io.engageflow.integration.client.ProviderResponse;
import io.engageflow.integration.domain.AppCredentials;
import io.engageflow.integration.persistence.ConnectedApps;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The actions that POST one JSON body with the app's bearer key, to the app's baseUrl or else the provider's:
 * BrazeTrackUser tracks a custom event for the contact ({@code /users/track}); ContactThuziCheckIn checks the contact
 * in to an event ({@code /v1/events/{eventId}/check-ins}); LocalCardSendCardFromTemplate sends a card ({@code
 * /v1/cards}, outputs {@code card_id}, {@code card_link}) and LocalCardGenerateCampaignGift a campaign's gift ({@code
 * /v1/campaigns/{campaignId}/gifts}, outputs {@code gift_id}, {@code gift_link}). Thuzi and LocalCard get the
 * commandId as {@code reference}.
 */
public class BearerPostAction extends ProviderAction {
    /** What a variant posts: the path below the base URL, and the body. */
    record Post(String path, Map<String, Object> body) {
    }

    /** BrazeTrackUser's config. */
    record BrazeEvent(String eventName, Map<?, ?> properties) {
        static Post post(ActionCommand command) {
            Map<String, Object> config = command.config();
            BrazeEvent c = new BrazeEvent(ConfigValues.string(config, "eventName"),
                    config.get("properties") instanceof Map<?, ?> props ? props : null);
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("external_id", command.contact().id());
            event.put("name", c.eventName());
            event.put("time", Instant.now().toString());
            if (c.properties() != null) {
                event.put("properties", c.properties());
            }
            return new Post("/users/track", Map.of("events", List.of(event)));
        }
    }

    /** ContactThuziCheckIn's config. */
    record ThuziCheckIn(String eventId) {
        static Post post(ActionCommand command) {
            ThuziCheckIn c = new ThuziCheckIn(ConfigValues.string(command.config(), "eventId"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("contactId", command.contact().id());
            body.put("email", command.contact().email());
            body.put("reference", command.commandId());
            return new Post("/v1/events/" + PathSegment.encode("eventId", c.eventId()) + "/check-ins", body);
        }
    }

    /** LocalCardSendCardFromTemplate's config. */
    record CardFromTemplate(String cardTemplateId, BigDecimal cardValue, String deliveryMethod,
                            String recipientMessage, String communicationMessage, String deliverAt) {
        static Post post(ActionCommand command) {
            Map<String, Object> config = command.config();
            CardFromTemplate c = new CardFromTemplate(ConfigValues.string(config, "cardTemplateId"),
                    ConfigValues.number(config, "cardValue").orElse(null), ConfigValues.string(config, "deliveryMethod"),
                    ConfigValues.string(config, "recipientMessage"), ConfigValues.string(config, "communicationMessage"),
                    ConfigValues.string(config, "deliverAt"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("templateId", c.cardTemplateId());
            body.put("value", c.cardValue());
            body.put("deliveryMethod", c.deliveryMethod());
            body.put("recipient", recipient(command));
            body.put("recipientMessage", c.recipientMessage());
            body.put("communicationMessage", c.communicationMessage());
            body.put("deliverAt", c.deliverAt());
            body.put("reference", command.commandId());
            return new Post("/v1/cards", body);
        }
    }

    /** LocalCardGenerateCampaignGift's config. */
    record CampaignGift(String campaignId, BigDecimal giftValue, String deliveryMethod, String recipientMessage) {
        static Post post(ActionCommand command) {
            Map<String, Object> config = command.config();
            CampaignGift c = new CampaignGift(ConfigValues.string(config, "campaignId"),
                    ConfigValues.number(config, "giftValue").orElse(null), ConfigValues.string(config, "deliveryMethod"),
                    ConfigValues.string(config, "recipientMessage"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("value", c.giftValue());
            body.put("deliveryMethod", c.deliveryMethod());
            body.put("recipient", recipient(command));
            body.put("recipientMessage", c.recipientMessage());
            body.put("reference", command.commandId());
            return new Post("/v1/campaigns/" + PathSegment.encode("campaignId", c.campaignId()) + "/gifts", body);
        }
    }

    /** The outputs of a created object: its id and link, under the names the catalog gives them. */
    record Created(String id, String link) {
        Map<String, Object> of(ProviderResponse r) {
            return Map.of(id, String.valueOf(r.json().get("id")), link, String.valueOf(r.json().get("link")));
        }
    }

    /** The catalog actions this handler serves: the provider's base URL, what each posts, what Success outputs. */
    enum Variant {
        BRAZE_TRACK_USER("BrazeTrackUser", "https://rest.iad-01.braze.com", BrazeEvent::post, null),
        THUZI_CHECK_IN("ContactThuziCheckIn", "https://api.thuzi.com", ThuziCheckIn::post, null),
        LOCALCARD_CARD("LocalCardSendCardFromTemplate", "https://api.localcard.com", CardFromTemplate::post,
                new Created("card_id", "card_link")),
        LOCALCARD_GIFT("LocalCardGenerateCampaignGift", "https://api.localcard.com", CampaignGift::post,
                new Created("gift_id", "gift_link"));

        final String action;
        final String defaultBaseUrl;
        final Function<ActionCommand, Post> post;
        final Created created;

        Variant(String action, String defaultBaseUrl, Function<ActionCommand, Post> post, Created created) {
            this.action = action;
            this.defaultBaseUrl = defaultBaseUrl;
            this.post = post;
            this.created = created;
        }
    }

    /** One handler bean per variant: the registry takes one for each catalog action. */
    @Dependent
    static class Variants {
        @Produces
        @Singleton
        BearerPostAction brazeTrackUser(ConnectedApps apps, BearerJsonClient client) {
            return new BearerPostAction(Variant.BRAZE_TRACK_USER, apps, client);
        }

        @Produces
        @Singleton
        BearerPostAction thuziCheckIn(ConnectedApps apps, BearerJsonClient client) {
            return new BearerPostAction(Variant.THUZI_CHECK_IN, apps, client);
        }

        @Produces
        @Singleton
        BearerPostAction localCardCard(ConnectedApps apps, BearerJsonClient client) {
            return new BearerPostAction(Variant.LOCALCARD_CARD, apps, client);
        }

        @Produces
        @Singleton
        BearerPostAction localCardGift(ConnectedApps apps, BearerJsonClient client) {
            return new BearerPostAction(Variant.LOCALCARD_GIFT, apps, client);
        }
    }

    private final Variant variant;
    private final BearerJsonClient client;

    BearerPostAction(Variant variant, ConnectedApps apps, BearerJsonClient client) {
        super(apps);
        this.variant = variant;
        this.client = client;
    }

    @Override
    public String action() {
        return variant.action;
    }

    @Override
    protected Uni<ActionOutcome> call(ActionCommand command, AppCredentials app) {
        Post post = variant.post.apply(command);
        return client.post(command.workspaceId(), app, variant.defaultBaseUrl, post.path(), post.body())
                .map(r -> !r.ok() ? providerFailure(r) : variant.created == null ? ActionOutcome.success()
                        : ActionOutcome.success(variant.created.of(r)));
    }
}
