package io.engageflow.contact.actions;

import io.engageflow.contact.client.SmsProviderClient;
import io.engageflow.contact.persistence.MessageStore;
import io.engageflow.contact.persistence.SentMessage;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Sends an SMS to {@code to} or the contact's phone through the SMS provider's HTTP API. The provider's Messages API
 * takes no idempotency key (see {@link SmsProviderClient}): a crash after the provider accepted the message and
 * before its result was recorded sends it again when the command is redelivered.
 */
@Singleton
public class ContactSmsSendAction extends MessageSendAction<ContactSmsSendAction.Config> {
    private static final Logger LOG = Logger.getLogger(ContactSmsSendAction.class);

    /** The text, and the number to send it to when set (else the contact's phone). */
    record Config(String message, String to) implements Message {
        @Override
        public String subject() {
            return null;
        }

        @Override
        public String text() {
            return message;
        }
    }

    private final SmsProviderClient sms;

    public ContactSmsSendAction(SmsProviderClient sms, Recipients recipients, MessageStore messages) {
        super("ContactSmsSend", Config.class, SentMessage.SMS, "provider_message_id", contact -> contact.phone,
                recipients, messages);
        this.sms = sms;
    }

    @Override
    public Uni<ActionOutcome> call(ActionCommand command, Config config) {
        if (!sms.configured()) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.NOT_CONNECTED,
                    "no SMS provider configured (engageflow.sms.*)"));
        }
        return super.call(command, config);
    }

    @Override
    protected Uni<ActionOutcome> send(ActionCommand command, Config config, String to) {
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
}
