package io.engageflow.integration.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.ActionCatalog;
import io.engageflow.integration.client.InvalidConfigValue;
import io.engageflow.integration.client.ProviderResponse;
import io.engageflow.integration.domain.AppCredentials;
import io.engageflow.integration.domain.UrlGuard;
import io.engageflow.integration.domain.secrets.UnreadableSecretException;
import io.engageflow.integration.persistence.ConnectedApps;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.OutsideAction;
import io.smallrye.mutiny.Uni;
import java.util.Map;
import java.util.function.Function;

/**
 * An action that calls an outside provider with the workspace's connected app (read outside any transaction, right
 * before the call): without one, or with one whose secrets cannot be decrypted, it takes Failure with NotConnected;
 * a provider error takes Failure with ProviderError and the provider's status. A URL the {@link UrlGuard} refuses (the
 * app's baseUrl: an internal address, a port other than 80/443, …) takes Failure with UrlNotAllowed, a value no
 * request can be built from Failure with InvalidConfig; neither sends anything.
 */
// Subclasses are @Singleton: a normal-scoped proxy would need a no-args constructor here. A family of actions with a
// typed config is a TypedOutsideAction that calls through withApp.
public abstract class ProviderAction implements OutsideAction {
    private final ConnectedApps apps;

    protected ProviderAction(ConnectedApps apps) {
        this.apps = apps;
    }

    @Override
    public Uni<ActionOutcome> call(ActionCommand command) {
        return withApp(apps, command, app -> call(command, app));
    }

    /** Makes {@code call} with the workspace's app of the action's provider, answering as this class says. */
    static Uni<ActionOutcome> withApp(ConnectedApps apps, ActionCommand command,
                                      Function<AppCredentials, Uni<ActionOutcome>> call) {
        String provider = ActionCatalog.find(command.action()).orElseThrow().provider();
        return apps.find(command.workspaceId(), provider).chain(app -> app.isEmpty()
                ? Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.NOT_CONNECTED,
                        "no " + provider + " app is connected to workspace " + command.workspaceId()))
                : Uni.createFrom().deferred(() -> call.apply(app.get()))
                        .onFailure(UrlGuard.Refused.class).recoverWithItem(e -> ActionOutcome.failure(
                                ErrorCodes.URL_NOT_ALLOWED, "the " + provider + " app's URL is refused: "
                                        + e.getMessage()))
                        .onFailure(InvalidConfigValue.class).recoverWithItem(e -> ActionOutcome.failure(
                                ErrorCodes.INVALID_CONFIG, e.getMessage())))
                // secrets that no configured key decrypts (moved from another workspace or provider, or a key id
                // removed): the app is not usable, so the step fails as without one, saying why
                .onFailure(UnreadableSecretException.class).recoverWithItem(e -> ActionOutcome.failure(
                        ErrorCodes.NOT_CONNECTED, e.getMessage()));
    }

    protected abstract Uni<ActionOutcome> call(ActionCommand command, AppCredentials app);

    /** Who receives a card or gift: the contact's email, phone and name. */
    protected static Map<String, Object> recipient(ActionCommand command) {
        Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("email", command.contact().email());
        r.put("phone", command.contact().phone());
        r.put("name", command.contact().firstName());
        return r;
    }

    protected static ActionOutcome providerFailure(ProviderResponse r) {
        return ActionOutcome.failure(ErrorCodes.PROVIDER_ERROR, r.describe(), Map.of("status", r.status()));
    }
}
