package io.engageflow.integration.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.integration.client.MailchimpClient;
import io.engageflow.integration.client.ProviderResponse;
import io.engageflow.integration.domain.AppCredentials;
import io.engageflow.integration.persistence.ConnectedApps;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.Variants;
import io.smallrye.mutiny.Uni;
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
@Singleton
public class MailchimpMemberAction
        extends ProviderAction<MailchimpMemberAction.Member, MailchimpMemberAction.Variant, MailchimpClient> {
    /**
     * The config: the list, the member's address (for the tag actions the contact's when the config has none), and
     * the tags or merge fields of the actions that take them.
     */
    record Member(String listId, String email, List<String> tags, Map<String, Object> mergeFields) {
    }

    /** The request a variant sends for the member, to the address it found. */
    interface Request {
        Uni<ProviderResponse> send(MailchimpClient client, String ws, AppCredentials app, Member m, String email);
    }

    /** A catalog action this handler serves: the request it sends, how the address is found, the answer. */
    record Variant(String action, Request request, boolean emailOrContacts,
                   Function<ProviderResponse, ActionOutcome> answer) {
    }

    private static final Map<String, Variant> VARIANTS = Variants.byAction(Variant::action,
            new Variant("MailchimpUpsert", (c, ws, app, m, email) -> c.upsert(ws, app, m.listId(), email,
                    m.mergeFields()), false, MailchimpMemberAction::memberId),
            new Variant("MailchimpAddTags", (c, ws, app, m, email) -> c.tags(ws, app, m.listId(), email, m.tags(),
                    true), true, MailchimpMemberAction::done),
            new Variant("MailchimpRemoveTags", (c, ws, app, m, email) -> c.tags(ws, app, m.listId(), email, m.tags(),
                    false), true, MailchimpMemberAction::done),
            new Variant("MailchimpUnsubscribe", (c, ws, app, m, email) -> c.unsubscribe(ws, app, m.listId(), email),
                    false, MailchimpMemberAction::done),
            new Variant("MailchimpArchive", (c, ws, app, m, email) -> c.archive(ws, app, m.listId(), email),
                    false, MailchimpMemberAction::goneIsDone),
            new Variant("MailchimpDelete", (c, ws, app, m, email) -> c.deletePermanently(ws, app, m.listId(), email),
                    false, MailchimpMemberAction::done));

    public MailchimpMemberAction(ConnectedApps apps, MailchimpClient client) {
        super(apps, client, VARIANTS, v -> Member.class);
    }

    @Override
    protected Uni<ActionOutcome> call(ActionCommand command, Member member, Variant variant, AppCredentials app) {
        String email = variant.emailOrContacts() && member.email() == null ? command.contact().email() : member.email();
        return variant.request().send(client, command.workspaceId(), app, member, email).map(variant.answer());
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
