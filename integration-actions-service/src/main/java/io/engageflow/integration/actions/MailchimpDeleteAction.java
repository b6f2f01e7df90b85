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

/** Permanently deletes a Mailchimp member. */
@Singleton
public class MailchimpDeleteAction extends ProviderAction {
    private final MailchimpClient client;

    public MailchimpDeleteAction(ConnectedApps apps, MailchimpClient client) {
        super(apps);
        this.client = client;
    }

    @Override
    public String action() {
        return "MailchimpDelete";
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Uni<ActionOutcome> call(ActionCommand command, AppCredentials app) {
        Map<String, Object> config = command.config();
        String ws = command.workspaceId();
        return client.deletePermanently(ws, app, ConfigValues.string(config, "listId"),
                        ConfigValues.string(config, "email"))
                .map(r -> r.ok() ? ActionOutcome.success() : providerFailure(r));
    }
}
