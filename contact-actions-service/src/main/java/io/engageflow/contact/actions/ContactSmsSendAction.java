package io.engageflow.contact.actions;

import io.engageflow.contact.client.SmsProviderClient;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.contact.domain.MessageLog;
import io.engageflow.contact.persistence.ContactEntity;
import io.engageflow.contact.persistence.SentMessage;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Sends an SMS to {@code to} or the contact's phone through the SMS provider's HTTP API. */
@ApplicationScoped
public class ContactSmsSendAction implements ActionHandler {
    private final SmsProviderClient sms;
    private final MessageLog log;

    public ContactSmsSendAction(SmsProviderClient sms, MessageLog log) {
        this.sms = sms;
        this.log = log;
    }

    @Override
    public String action() {
        return "ContactSmsSend";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        if (!sms.configured()) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.NOT_CONNECTED,
                    "no SMS provider configured (engageflow.sms.*)"));
        }
        return ContactEntity.<ContactEntity>findById(ContactEntity.key(command.workspaceId(), command.contact().id()))
                .chain(contact -> {
                    String to = ConfigValues.string(command.config(), "to");
                    String recipient = to != null ? to : contact.phone;
                    if (recipient == null || !recipient.matches("\\+?[0-9 ()-]{5,20}")) {
                        return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.NO_RECIPIENT,
                                "no valid phone number: set 'to' or give the contact a phone"));
                    }
                    String message = ConfigValues.string(command.config(), "message");
                    return sms.send(recipient, message).chain(result -> result.error() != null
                            ? Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.DELIVERY_FAILED, result.error()))
                            : log.record(command, SentMessage.SMS, recipient, null, message,
                                            result.providerMessageId())
                                    .map(sent -> ActionOutcome.success(Map.of("message_id", sent.id,
                                            "provider_message_id", String.valueOf(result.providerMessageId())))));
                });
    }
}
