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

/** Adds tags to a Mailchimp member (email from config, else the contact's). */
@Singleton
public class MailchimpAddTagsAction extends ProviderAction {
    private final MailchimpClient client;

    public MailchimpAddTagsAction(ConnectedApps apps, MailchimpClient client) {
        super(apps);
        this.client = client;
    }

    @Override
    public String action() {
        return "MailchimpAddTags";
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Uni<ActionOutcome> call(ActionCommand command, AppCredentials app) {
        Map<String, Object> config = command.config();
        String ws = command.workspaceId();
        return client.tags(ws, app, ConfigValues.string(config, "listId"), email(command),
                        ConfigValues.list(config, "tags"), true)
                .map(r -> r.ok() ? ActionOutcome.success() : providerFailure(r));
    }

}
