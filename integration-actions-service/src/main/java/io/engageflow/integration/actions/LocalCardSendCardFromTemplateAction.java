package io.engageflow.integration.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.integration.client.BearerJsonClient;
import io.engageflow.integration.domain.AppCredentials;
import io.engageflow.integration.persistence.ConnectedApps;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sends a LocalCard gift card from a template to the contact; outputs card_id and card_link. */
@Singleton
public class LocalCardSendCardFromTemplateAction extends ProviderAction {
    private final BearerJsonClient client;

    public LocalCardSendCardFromTemplateAction(ConnectedApps apps, BearerJsonClient client) {
        super(apps);
        this.client = client;
    }

    @Override
    public String action() {
        return "LocalCardSendCardFromTemplate";
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Uni<ActionOutcome> call(ActionCommand command, AppCredentials app) {
        Map<String, Object> config = command.config();
        String ws = command.workspaceId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("templateId", ConfigValues.string(config, "cardTemplateId"));
        body.put("value", ConfigValues.number(config, "cardValue").orElse(null));
        body.put("deliveryMethod", ConfigValues.string(config, "deliveryMethod"));
        body.put("recipient", recipient(command));
        body.put("recipientMessage", ConfigValues.string(config, "recipientMessage"));
        body.put("communicationMessage", ConfigValues.string(config, "communicationMessage"));
        body.put("deliverAt", ConfigValues.string(config, "deliverAt"));
        body.put("reference", command.commandId());
        return client.post(ws, app, "https://api.localcard.com", "/v1/cards", body).map(r -> r.ok()
                ? ActionOutcome.success(Map.of("card_id", String.valueOf(r.json().get("id")),
                        "card_link", String.valueOf(r.json().get("link"))))
                : providerFailure(r));
    }

}
