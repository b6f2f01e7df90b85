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
import java.util.List;
import java.util.Map;

/** Tracks a custom event for the contact in Braze (POST /users/track). */
@Singleton
public class BrazeTrackUserAction extends ProviderAction {
    private final BearerJsonClient client;

    public BrazeTrackUserAction(ConnectedApps apps, BearerJsonClient client) {
        super(apps);
        this.client = client;
    }

    @Override
    public String action() {
        return "BrazeTrackUser";
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Uni<ActionOutcome> call(ActionCommand command, AppCredentials app) {
        Map<String, Object> config = command.config();
        String ws = command.workspaceId();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("external_id", command.contact().id());
        event.put("name", ConfigValues.string(config, "eventName"));
        event.put("time", java.time.Instant.now().toString());
        if (config.get("properties") instanceof Map<?, ?> props) {
            event.put("properties", props);
        }
        return client.post(ws, app, "https://rest.iad-01.braze.com", "/users/track", Map.of("events", List.of(event)))
                .map(r -> r.ok() ? ActionOutcome.success() : providerFailure(r));
    }
}
