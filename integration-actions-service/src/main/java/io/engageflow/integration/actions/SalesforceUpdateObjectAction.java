package io.engageflow.integration.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.contracts.catalog.OutputPaths;
import io.engageflow.integration.client.SalesforceClient;
import io.engageflow.integration.domain.AppCredentials;
import io.engageflow.integration.persistence.ConnectedApps;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.Map;

/** Updates a Salesforce object; an id Salesforce does not know takes NotFound. */
@Singleton
public class SalesforceUpdateObjectAction extends ProviderAction {
    private final SalesforceClient client;

    public SalesforceUpdateObjectAction(ConnectedApps apps, SalesforceClient client) {
        super(apps);
        this.client = client;
    }

    @Override
    public String action() {
        return "SalesforceUpdateObject";
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Uni<ActionOutcome> call(ActionCommand command, AppCredentials app) {
        Map<String, Object> config = command.config();
        String ws = command.workspaceId();
        return client.update(ws, app, ConfigValues.string(config, "objectType"), ConfigValues.string(config, "objectId"),
                        (Map<String, Object>) config.get("fields"))
                .map(r -> r.ok() ? ActionOutcome.success(Map.of("object_id", ConfigValues.string(config, "objectId")))
                        : r.status() == 404 ? ActionOutcome.path(OutputPaths.NOT_FOUND, Map.of()) : providerFailure(r));
    }
}
