package io.engageflow.integration.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.OutputPaths;
import io.engageflow.integration.client.ProviderResponse;
import io.engageflow.integration.client.SalesforceClient;
import io.engageflow.integration.domain.AppCredentials;
import io.engageflow.integration.persistence.ConnectedApps;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.Variants;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * The Salesforce actions on one object of the org: SalesforceCreateObject creates it (outputs its {@code object_id});
 * SalesforceUpdateObject sets fields of the object with objectId (outputs that {@code object_id});
 * SalesforceGetObject reads it by objectId, or else the first record matching {@code where} (outputs {@code object}).
 * An object Salesforce does not have takes NotFound when updated or read.
 */
@Singleton
public class SalesforceObjectAction
        extends ProviderAction<SalesforceObjectAction.SObject, SalesforceObjectAction.Variant, SalesforceClient> {
    /**
     * The config: the object's type, its id (update, read by id), the fields to write (create, update) and the
     * criteria to find it by (read: a field → value map or a clause as text, as sent).
     */
    record SObject(String objectType, String objectId, Map<String, Object> fields, Object where) {
    }

    /** What a variant does with the object: its request(s), and how the answer reads. */
    interface Call {
        Uni<ActionOutcome> make(SalesforceClient client, String ws, AppCredentials app, SObject object,
                                ActionCommand command);
    }

    /** A catalog action this handler serves, and its call. */
    record Variant(String action, Call call) {
    }

    private static final Map<String, Variant> VARIANTS = Variants.byAction(Variant::action,
            new Variant("SalesforceCreateObject", writing((c, ws, app, o, command) ->
                    c.create(ws, app, o.objectType(), o.fields()).map(r -> r.ok()
                            ? ActionOutcome.success(Map.of("object_id", String.valueOf(r.json().get("id"))))
                            : providerFailure(r)))),
            new Variant("SalesforceUpdateObject", writing((c, ws, app, o, command) ->
                    c.update(ws, app, o.objectType(), o.objectId(), o.fields()).map(r -> r.ok()
                            ? ActionOutcome.success(Map.of("object_id", o.objectId())) : notFoundOrFailure(r)))),
            new Variant("SalesforceGetObject", SalesforceObjectAction::read));

    public SalesforceObjectAction(ConnectedApps apps, SalesforceClient client) {
        super(apps, client, VARIANTS, v -> SObject.class);
    }

    @Override
    protected Uni<ActionOutcome> call(ActionCommand command, SObject object, Variant variant, AppCredentials app) {
        return variant.call().make(client, command.workspaceId(), app, object, command);
    }

    /**
     * A create or update: its fields must be an object (a template that renders them as text is not one), else
     * InvalidConfig and nothing is sent.
     */
    private static Call writing(Call call) {
        return (client, ws, app, object, command) -> object.fields() != null
                ? call.make(client, ws, app, object, command)
                : Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.INVALID_CONFIG,
                        "fields must be an object of field: value, got " + command.config().get("fields")));
    }

    /** SalesforceGetObject: by id when the config has one, else the first record of a query. */
    @SuppressWarnings("unchecked")
    private static Uni<ActionOutcome> read(SalesforceClient client, String ws, AppCredentials app, SObject object,
                                           ActionCommand command) {
        if (object.objectId() != null) {
            return client.get(ws, app, object.objectType(), object.objectId()).map(r -> r.ok()
                    ? ActionOutcome.success(Map.of("object", r.json())) : notFoundOrFailure(r));
        }
        return client.query(ws, app, object.objectType(), object.where()).map(r -> {
            if (!r.ok()) {
                return providerFailure(r);
            }
            List<Object> records = (List<Object>) r.json().getOrDefault("records", List.of());
            return records.isEmpty() ? ActionOutcome.path(OutputPaths.NOT_FOUND, Map.of())
                    : ActionOutcome.success(Map.of("object", records.get(0)));
        });
    }

    private static ActionOutcome notFoundOrFailure(ProviderResponse r) {
        return r.status() == 404 ? ActionOutcome.path(OutputPaths.NOT_FOUND, Map.of())
                : providerFailure(r);
    }
}
