package io.engageflow.integration.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.integration.client.MailchimpClient;
import io.engageflow.integration.client.ProviderResponse;
import io.engageflow.integration.domain.AppCredentials;
import io.engageflow.integration.persistence.ConnectedApps;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Mailchimp actions on a list member, one request each: MailchimpUpsert adds or updates the member (subscribing a
 * new address; outputs its {@code member_id}); MailchimpAddTags / MailchimpRemoveTags set tags active or inactive;
 * MailchimpUnsubscribe, MailchimpArchive and MailchimpDelete (permanently). Archiving a member Mailchimp does not have
 * (404) is a Success: the member is not on the list, which is what the step asked for.
 */
public class MailchimpMemberAction extends ProviderAction {
    /**
     * The config: the list, the member's address (the config's {@code email}; for the tag actions, else the
     * contact's), and the tags or merge fields of the actions that take them.
     */
    record Member(String listId, String email, List<String> tags, Map<String, Object> mergeFields) {
        @SuppressWarnings("unchecked")
        static Member of(ActionCommand command, boolean emailOrContacts) {
            Map<String, Object> config = command.config();
            return new Member(ConfigValues.string(config, "listId"),
                    emailOrContacts ? ProviderAction.email(command) : ConfigValues.string(config, "email"),
                    ConfigValues.list(config, "tags"), (Map<String, Object>) config.get("mergeFields"));
        }
    }

    /** The request a variant sends for the member. */
    interface Request {
        Uni<ProviderResponse> send(MailchimpClient client, String ws, AppCredentials app, Member m);
    }

    /** The catalog actions this handler serves: the request each sends, how the address is found, the answer. */
    enum Variant {
        UPSERT("MailchimpUpsert", (c, ws, app, m) -> c.upsert(ws, app, m.listId(), m.email(), m.mergeFields()),
                false, MailchimpMemberAction::memberId),
        ADD_TAGS("MailchimpAddTags", (c, ws, app, m) -> c.tags(ws, app, m.listId(), m.email(), m.tags(), true),
                true, MailchimpMemberAction::done),
        REMOVE_TAGS("MailchimpRemoveTags", (c, ws, app, m) -> c.tags(ws, app, m.listId(), m.email(), m.tags(), false),
                true, MailchimpMemberAction::done),
        UNSUBSCRIBE("MailchimpUnsubscribe", (c, ws, app, m) -> c.unsubscribe(ws, app, m.listId(), m.email()),
                false, MailchimpMemberAction::done),
        ARCHIVE("MailchimpArchive", (c, ws, app, m) -> c.archive(ws, app, m.listId(), m.email()),
                false, MailchimpMemberAction::goneIsDone),
        DELETE("MailchimpDelete", (c, ws, app, m) -> c.deletePermanently(ws, app, m.listId(), m.email()),
                false, MailchimpMemberAction::done);

        final String action;
        final Request request;
        final boolean emailOrContacts;
        final Function<ProviderResponse, ActionOutcome> answer;

        Variant(String action, Request request, boolean emailOrContacts,
                Function<ProviderResponse, ActionOutcome> answer) {
            this.action = action;
            this.request = request;
            this.emailOrContacts = emailOrContacts;
            this.answer = answer;
        }
    }

    /** One handler bean per variant: the registry takes one for each catalog action. */
    @Dependent
    static class Variants {
        @Produces
        @Singleton
        MailchimpMemberAction upsert(ConnectedApps apps, MailchimpClient client) {
            return new MailchimpMemberAction(Variant.UPSERT, apps, client);
        }

        @Produces
        @Singleton
        MailchimpMemberAction addTags(ConnectedApps apps, MailchimpClient client) {
            return new MailchimpMemberAction(Variant.ADD_TAGS, apps, client);
        }

        @Produces
        @Singleton
        MailchimpMemberAction removeTags(ConnectedApps apps, MailchimpClient client) {
            return new MailchimpMemberAction(Variant.REMOVE_TAGS, apps, client);
        }

        @Produces
        @Singleton
        MailchimpMemberAction unsubscribe(ConnectedApps apps, MailchimpClient client) {
            return new MailchimpMemberAction(Variant.UNSUBSCRIBE, apps, client);
        }

        @Produces
        @Singleton
        MailchimpMemberAction archive(ConnectedApps apps, MailchimpClient client) {
            return new MailchimpMemberAction(Variant.ARCHIVE, apps, client);
        }

        @Produces
        @Singleton
        MailchimpMemberAction delete(ConnectedApps apps, MailchimpClient client) {
            return new MailchimpMemberAction(Variant.DELETE, apps, client);
        }
    }

    private final Variant variant;
    private final MailchimpClient client;

    MailchimpMemberAction(Variant variant, ConnectedApps apps, MailchimpClient client) {
        super(apps);
        this.variant = variant;
        this.client = client;
    }

    @Override
    public String action() {
        return variant.action;
    }

    @Override
    protected Uni<ActionOutcome> call(ActionCommand command, AppCredentials app) {
        Member member = Member.of(command, variant.emailOrContacts);
        return variant.request.send(client, command.workspaceId(), app, member).map(variant.answer);
    }

    private static ActionOutcome done(ProviderResponse r) {
        return r.ok() ? ActionOutcome.success() : providerFailure(r);
    }

    private static ActionOutcome goneIsDone(ProviderResponse r) {
        return r.ok() || r.status() == 404 ? ActionOutcome.success() : providerFailure(r);
    }

    private static ActionOutcome memberId(ProviderResponse r) {
        return r.ok() ? ActionOutcome.success(Map.of("member_id", String.valueOf(r.json().get("id"))))
                : providerFailure(r);
    }
}
