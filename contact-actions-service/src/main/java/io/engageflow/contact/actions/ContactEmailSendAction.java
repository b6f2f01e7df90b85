package io.engageflow.contact.actions;

import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.contact.domain.MessageLog;
import io.engageflow.contact.persistence.ContactEntity;
import io.engageflow.contact.persistence.SentMessage;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Sends an email over SMTP to {@code to} or the contact's email. {@code body} is plain text; {@code template} is
 * HTML. The Message-ID comes from the commandId, so a receiving system can drop a resend after a crash.
 */
@ApplicationScoped
public class ContactEmailSendAction implements ActionHandler {
    private static final Logger LOG = Logger.getLogger(ContactEmailSendAction.class);

    private final ReactiveMailer mailer;
    private final MessageLog log;

    public ContactEmailSendAction(ReactiveMailer mailer, MessageLog log) {
        this.mailer = mailer;
        this.log = log;
    }

    @Override
    public String action() {
        return "ContactEmailSend";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        return ContactEntity.<ContactEntity>findById(ContactEntity.key(command.workspaceId(), command.contact().id()))
                .chain(contact -> send(command, contact));
    }

    private Uni<ActionOutcome> send(ActionCommand command, ContactEntity contact) {
        String to = ConfigValues.string(command.config(), "to");
        if (to == null) {
            to = contact.email;
        }
        if (to == null || !to.contains("@")) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.NO_RECIPIENT,
                    "no email address: set 'to' or give the contact an email"));
        }
        String subject = ConfigValues.string(command.config(), "subject");
        String text = ConfigValues.string(command.config(), "body");
        String html = ConfigValues.string(command.config(), "template");
        String messageId = MessageLog.messageId(command);
        Mail mail = new Mail().addTo(to).setSubject(subject)
                .addHeader("Message-ID", "<" + messageId + "@engageflow>")
                .addHeader("X-Engageflow-Command", command.commandId());
        if (html != null) {
            mail.setHtml(html);
        }
        if (text != null) {
            mail.setText(text);
        }
        String recipient = to;
        return mailer.send(mail)
                .chain(() -> log.record(command, SentMessage.EMAIL, recipient, subject, html != null ? html : text,
                        messageId))
                .map(sent -> ActionOutcome.success(Map.of("message_id", sent.id, "to", recipient)))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("email for command %s not delivered: %s", command.commandId(), e.toString());
                    return ActionOutcome.failure(ErrorCodes.DELIVERY_FAILED, "SMTP delivery failed: " + e.getMessage());
                });
    }
}
