package io.engageflow.integration.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.integration.client.MailchimpClient;
import io.engageflow.integration.domain.AppCredentials;
import io.engageflow.integration.persistence.ConnectedApps;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.Map;

/** Adds or updates a Mailchimp audience member with merge fields. */
@Singleton
public class MailchimpUpsertAction extends ProviderAction {
    private final MailchimpClient client;

    public MailchimpUpsertAction(ConnectedApps apps, MailchimpClient client) {
        super(apps);
        this.client = client;
    }

    @Override
    public String action() {
        return "MailchimpUpsert";
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Uni<ActionOutcome> call(ActionCommand command, AppCredentials app) {
        Map<String, Object> config = command.config();
        String ws = command.workspaceId();
        return client.upsert(ws, app, ConfigValues.string(config, "listId"), ConfigValues.string(config, "email"),
                        (Map<String, Object>) config.get("mergeFields"))
                .map(r -> r.ok() ? ActionOutcome.success(Map.of("member_id", String.valueOf(r.json().get("id"))))
                        : providerFailure(r));
    }
}
