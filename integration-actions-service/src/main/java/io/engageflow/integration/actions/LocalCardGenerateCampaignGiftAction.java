package io.engageflow.integration.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.integration.client.BearerJsonClient;
import io.engageflow.integration.client.PathSegment;
import io.engageflow.integration.domain.AppCredentials;
import io.engageflow.integration.persistence.ConnectedApps;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/** Generates a LocalCard campaign gift; outputs gift_id and gift_link. */
@Singleton
public class LocalCardGenerateCampaignGiftAction extends ProviderAction {
    private final BearerJsonClient client;

    public LocalCardGenerateCampaignGiftAction(ConnectedApps apps, BearerJsonClient client) {
        super(apps);
        this.client = client;
    }

    @Override
    public String action() {
        return "LocalCardGenerateCampaignGift";
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Uni<ActionOutcome> call(ActionCommand command, AppCredentials app) {
        Map<String, Object> config = command.config();
        String ws = command.workspaceId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", ConfigValues.number(config, "giftValue").orElse(null));
        body.put("deliveryMethod", ConfigValues.string(config, "deliveryMethod"));
        body.put("recipient", recipient(command));
        body.put("recipientMessage", ConfigValues.string(config, "recipientMessage"));
        body.put("reference", command.commandId());
        return client.post(ws, app, "https://api.localcard.com",
                        "/v1/campaigns/" + PathSegment.encode("campaignId", ConfigValues.string(config, "campaignId"))
                                + "/gifts", body)
                .map(r -> r.ok() ? ActionOutcome.success(Map.of("gift_id", String.valueOf(r.json().get("id")),
                        "gift_link", String.valueOf(r.json().get("link")))) : providerFailure(r));
    }

}
