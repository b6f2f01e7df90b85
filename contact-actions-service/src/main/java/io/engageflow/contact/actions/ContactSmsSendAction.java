package io.engageflow.contact.actions;

import io.engageflow.contact.client.SmsProviderClient;
import io.engageflow.contact.persistence.MessageStore;
import io.engageflow.contact.persistence.SentMessage;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.catalog.OutputPaths;
import io.engageflow.runtime.actions.ActionConfig;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.TypedOutsideAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Sends an SMS to {@code to} or the contact's phone through the SMS provider's HTTP API. The provider's Messages API
 * takes no idempotency key (see {@link SmsProviderClient}): a crash after the provider accepted the message and
 * before its result was recorded sends it again when the command is redelivered.
 */
@Singleton // a record: no client proxy, so not normal-scoped
public record ContactSmsSendAction(SmsProviderClient sms, Recipients recipients, MessageStore messages)
        implements TypedOutsideAction<ContactSmsSendAction.Config> {
    private static final Logger LOG = Logger.getLogger(ContactSmsSendAction.class);
    private static final String ACTION = "ContactSmsSend";
    /** The reading of the config where the result is recorded: the pipeline decodes it for the call only. */
    private static final ActionConfig<Config> CONFIG = ActionConfig.of(Config.class,
            ActionConfig.specs(List.of(ACTION)));

    /** The text and, when set, the number to send it to (else the contact's phone). */
    record Config(String message, String to) {
    }

    @Override
    public String action() {
        return ACTION;
    }

    @Override
    public Class<Config> configType(String action) {
        return Config.class;
    }

    @Override
    public Uni<ActionOutcome> call(ActionCommand command, Config config) {
        if (!sms.configured()) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.NOT_CONNECTED,
                    "no SMS provider configured (engageflow.sms.*)"));
        }
        return recipients.of(command, config.to(), contact -> contact.phone).chain(to -> send(command, config, to));
    }

    private Uni<ActionOutcome> send(ActionCommand command, Config config, String to) {
        if (to == null || !to.matches("\\+?[0-9 ()-]{5,20}")) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.NO_RECIPIENT,
                    "no valid phone number: set 'to' or give the contact a phone"));
        }
        return sms.send(to, config.message()).map(result -> {
            if (result.error() == null) {
                return ActionOutcome.success(Map.of("message_id", SentMessage.idOf(command),
                        "provider_message_id", String.valueOf(result.providerMessageId()), "to", to));
            }
            // the provider's text may echo the number and the message: ids and the status only above DEBUG
            LOG.warnf("SMS for command %s (workspace %s) not delivered: %s", command.commandId(),
                    command.workspaceId(), result.failure());
            LOG.debugf("SMS for command %s not delivered: %s", command.commandId(), result.error());
            return ActionOutcome.failure(ErrorCodes.DELIVERY_FAILED, result.error());
        });
    }

    /** The message log row of a sent SMS, in the transaction that records the result. */
    @Override
    public Uni<Void> record(ActionCommand command, ActionOutcome outcome, SqlConnection tx) {
        if (!OutputPaths.SUCCESS.equals(outcome.path())) {
            return Uni.createFrom().voidItem();
        }
        return messages.insert(tx, SentMessage.of(command, SentMessage.SMS, String.valueOf(outcome.outputs()
                .get("to")), null, CONFIG.decode(command.config()).value().message(),
                String.valueOf(outcome.outputs().get("provider_message_id"))));
    }
}
