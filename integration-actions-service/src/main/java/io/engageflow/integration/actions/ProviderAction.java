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
import io.engageflow.runtime.actions.TypedOutsideAction;
import io.smallrye.mutiny.Uni;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A family of actions that call an outside provider with the workspace's connected app (read outside any transaction,
 * right before the call), one variant of the subclass's table per catalog action: without an app, or with one whose
 * secrets cannot be decrypted, the step takes Failure with NotConnected; a provider error takes Failure with
 * ProviderError and the provider's status. A URL the {@link UrlGuard} refuses (the app's baseUrl: an internal address,
 * a port other than 80/443, …) takes Failure with UrlNotAllowed, a value no request can be built from Failure with
 * InvalidConfig; neither sends anything.
 *
 * @param <C> the config record (or the interface of the variants' records)
 * @param <V> a variant: what the subclass does for one action
 * @param <K> the provider's client
 */
// Subclasses are @Singleton: a normal-scoped proxy would need a no-args constructor here.
public abstract class ProviderAction<C, V, K> implements TypedOutsideAction<C> {
    protected final K client;
    private final ConnectedApps apps;
    private final Map<String, V> variants;
    private final Function<V, Class<? extends C>> configType;

    /**
     * {@code variants}: the table by catalog action ({@link io.engageflow.runtime.actions.Variants#byAction});
     * {@code configType}: the record a variant's config decodes into.
     */
    protected ProviderAction(ConnectedApps apps, K client, Map<String, V> variants,
                             Function<V, Class<? extends C>> configType) {
        this.apps = apps;
        this.client = client;
        this.variants = variants;
        this.configType = configType;
    }

    @Override
    public Set<String> actions() {
        return variants.keySet();
    }

    @Override
    public Class<? extends C> configType(String action) {
        return configType.apply(variants.get(action));
    }

    @Override
    public Uni<ActionOutcome> call(ActionCommand command, C config) {
        V variant = variants.get(command.action());
        String provider = ActionCatalog.find(command.action()).orElseThrow().provider();
        return apps.find(command.workspaceId(), provider).chain(app -> app.isEmpty()
                ? Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.NOT_CONNECTED,
                        "no " + provider + " app is connected to workspace " + command.workspaceId()))
                : Uni.createFrom().deferred(() -> call(command, config, variant, app.get()))
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

    /**
     * The command's variant's call with the app; an {@link InvalidConfigValue} or {@link UrlGuard.Refused} it throws,
     * even before it returns, is the step's Failure as the class says.
     */
    protected abstract Uni<ActionOutcome> call(ActionCommand command, C config, V variant, AppCredentials app);

    /** Who receives a card or gift: the contact's email, phone and name. */
    static Map<String, Object> recipient(ActionCommand command) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("email", command.contact().email());
        r.put("phone", command.contact().phone());
        r.put("name", command.contact().firstName());
        return r;
    }

    static ActionOutcome providerFailure(ProviderResponse r) {
        return ActionOutcome.failure(ErrorCodes.PROVIDER_ERROR, r.describe(), Map.of("status", r.status()));
    }
}
