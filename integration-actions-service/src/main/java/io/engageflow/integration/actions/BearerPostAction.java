package io.engageflow.integration.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.integration.client.BearerJsonClient;
import io.engageflow.integration.client.PathSegment;
import io.engageflow.integration.client.ProviderResponse;
import io.engageflow.integration.domain.AppCredentials;
import io.engageflow.integration.persistence.ConnectedApps;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.Variants;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The actions that POST one JSON body with the app's bearer key, to the app's baseUrl or else the provider's:
 * BrazeTrackUser tracks a custom event for the contact ({@code /users/track}); ContactThuziCheckIn checks the contact
 * in to an event ({@code /v1/events/{eventId}/check-ins}); LocalCardSendCardFromTemplate sends a card ({@code
 * /v1/cards}, outputs {@code card_id}, {@code card_link}) and LocalCardGenerateCampaignGift a campaign's gift ({@code
 * /v1/campaigns/{campaignId}/gifts}, outputs {@code gift_id}, {@code gift_link}). Thuzi and LocalCard get the
 * commandId as {@code reference}.
 */
@Singleton
public class BearerPostAction
        extends ProviderAction<BearerPostAction.Body, BearerPostAction.Variant, BearerJsonClient> {
    /** What a variant posts: the path below the base URL, and the body. */
    record Post(String path, Map<String, Object> body) {
    }

    /** A variant's config: what it posts for a command. */
    sealed interface Body permits BrazeEvent, ThuziCheckIn, CardFromTemplate, CampaignGift {
        Post post(ActionCommand command);
    }

    /** BrazeTrackUser's config. */
    record BrazeEvent(String eventName, Map<?, ?> properties) implements Body {
        @Override
        public Post post(ActionCommand command) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("external_id", command.contact().id());
            event.put("name", eventName);
            event.put("time", Instant.now().toString());
            if (properties != null) {
                event.put("properties", properties);
            }
            return new Post("/users/track", Map.of("events", List.of(event)));
        }
    }

    /** ContactThuziCheckIn's config. */
    record ThuziCheckIn(String eventId) implements Body {
        @Override
        public Post post(ActionCommand command) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("contactId", command.contact().id());
            body.put("email", command.contact().email());
            body.put("reference", command.commandId());
            return new Post("/v1/events/" + PathSegment.encode("eventId", eventId) + "/check-ins", body);
        }
    }

    /** LocalCardSendCardFromTemplate's config. */
    record CardFromTemplate(String cardTemplateId, BigDecimal cardValue, String deliveryMethod,
                            String recipientMessage, String communicationMessage, String deliverAt) implements Body {
        @Override
        public Post post(ActionCommand command) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("templateId", cardTemplateId);
            body.put("value", cardValue);
            body.put("deliveryMethod", deliveryMethod);
            body.put("recipient", recipient(command));
            body.put("recipientMessage", recipientMessage);
            body.put("communicationMessage", communicationMessage);
            body.put("deliverAt", deliverAt);
            body.put("reference", command.commandId());
            return new Post("/v1/cards", body);
        }
    }

    /** LocalCardGenerateCampaignGift's config. */
    record CampaignGift(String campaignId, BigDecimal giftValue, String deliveryMethod, String recipientMessage)
            implements Body {
        @Override
        public Post post(ActionCommand command) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("value", giftValue);
            body.put("deliveryMethod", deliveryMethod);
            body.put("recipient", recipient(command));
            body.put("recipientMessage", recipientMessage);
            body.put("reference", command.commandId());
            return new Post("/v1/campaigns/" + PathSegment.encode("campaignId", campaignId) + "/gifts", body);
        }
    }

    /** The outputs of a created object: its id and link, under the names the catalog gives them. */
    record Created(String id, String link) {
        Map<String, Object> of(ProviderResponse r) {
            return Map.of(id, String.valueOf(r.json().get("id")), link, String.valueOf(r.json().get("link")));
        }
    }

    /** A catalog action this handler serves: its config, the provider's base URL, what Success outputs. */
    record Variant(String action, Class<? extends Body> config, String defaultBaseUrl, Created created) {
    }

    private static final Map<String, Variant> VARIANTS = Variants.byAction(Variant::action,
            new Variant("BrazeTrackUser", BrazeEvent.class, "https://rest.iad-01.braze.com", null),
            new Variant("ContactThuziCheckIn", ThuziCheckIn.class, "https://api.thuzi.com", null),
            new Variant("LocalCardSendCardFromTemplate", CardFromTemplate.class, "https://api.localcard.com",
                    new Created("card_id", "card_link")),
            new Variant("LocalCardGenerateCampaignGift", CampaignGift.class, "https://api.localcard.com",
                    new Created("gift_id", "gift_link")));

    public BearerPostAction(ConnectedApps apps, BearerJsonClient client) {
        super(apps, client, VARIANTS, Variant::config);
    }

    @Override
    protected Uni<ActionOutcome> call(ActionCommand command, Body config, Variant variant, AppCredentials app) {
        Post post = config.post(command); // in the call: a path segment no request can be built from is InvalidConfig
        return client.post(command.workspaceId(), app, variant.defaultBaseUrl(), post.path(), post.body())
                .map(r -> !r.ok() ? providerFailure(r) : variant.created() == null
                        ? ActionOutcome.success() : ActionOutcome.success(variant.created().of(r)));
    }
}
