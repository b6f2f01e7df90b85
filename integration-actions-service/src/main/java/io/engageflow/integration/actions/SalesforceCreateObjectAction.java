package io.engageflow.integration.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.integration.client.SalesforceClient;
import io.engageflow.integration.domain.AppCredentials;
import io.engageflow.integration.persistence.ConnectedApps;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.Map;

/** Creates a Salesforce object; outputs its id as object_id. */
@Singleton
public class SalesforceCreateObjectAction extends ProviderAction {
    private final SalesforceClient client;

    public SalesforceCreateObjectAction(ConnectedApps apps, SalesforceClient client) {
        super(apps);
        this.client = client;
    }

    @Override
    public String action() {
        return "SalesforceCreateObject";
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Uni<ActionOutcome> call(ActionCommand command, AppCredentials app) {
        Map<String, Object> config = command.config();
        String ws = command.workspaceId();
        return client.create(ws, app, ConfigValues.string(config, "objectType"),
                        (Map<String, Object>) config.get("fields"))
                .map(r -> r.ok() ? ActionOutcome.success(Map.of("object_id", String.valueOf(r.json().get("id"))))
                        : providerFailure(r));
    }
}
