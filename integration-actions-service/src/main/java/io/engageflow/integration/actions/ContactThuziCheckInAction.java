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

/** Checks the contact in to a Thuzi event. */
@Singleton
public class ContactThuziCheckInAction extends ProviderAction {
    private final BearerJsonClient client;

    public ContactThuziCheckInAction(ConnectedApps apps, BearerJsonClient client) {
        super(apps);
        this.client = client;
    }

    @Override
    public String action() {
        return "ContactThuziCheckIn";
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Uni<ActionOutcome> call(ActionCommand command, AppCredentials app) {
        Map<String, Object> config = command.config();
        String ws = command.workspaceId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("contactId", command.contact().id());
        body.put("email", command.contact().email());
        body.put("reference", command.commandId());
        return client.post(ws, app, "https://api.thuzi.com",
                        "/v1/events/" + PathSegment.encode("eventId", ConfigValues.string(config, "eventId"))
                                + "/check-ins", body)
                .map(r -> r.ok() ? ActionOutcome.success() : providerFailure(r));
    }
}
