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
import java.util.List;
import java.util.Map;

/** Reads a Salesforce object by id or by a SOQL WHERE clause; none takes NotFound. */
@Singleton
public class SalesforceGetObjectAction extends ProviderAction {
    private final SalesforceClient client;

    public SalesforceGetObjectAction(ConnectedApps apps, SalesforceClient client) {
        super(apps);
        this.client = client;
    }

    @Override
    public String action() {
        return "SalesforceGetObject";
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Uni<ActionOutcome> call(ActionCommand command, AppCredentials app) {
        Map<String, Object> config = command.config();
        String ws = command.workspaceId();
        String type = ConfigValues.string(config, "objectType");
        String id = ConfigValues.string(config, "objectId");
        if (id != null) {
            return client.get(ws, app, type, id).map(r -> r.ok() ? ActionOutcome.success(Map.of("object", r.json()))
                    : r.status() == 404 ? ActionOutcome.path(OutputPaths.NOT_FOUND, Map.of()) : providerFailure(r));
        }
        return client.query(ws, app, type, config.get("where")).map(r -> {
            if (!r.ok()) {
                return providerFailure(r);
            }
            List<Object> records = (List<Object>) r.json().getOrDefault("records", List.of());
            return records.isEmpty() ? ActionOutcome.path(OutputPaths.NOT_FOUND, Map.of())
                    : ActionOutcome.success(Map.of("object", records.get(0)));
        });
    }
}
