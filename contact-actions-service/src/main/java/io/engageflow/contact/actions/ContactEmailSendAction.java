package io.engageflow.contact.actions;

import io.engageflow.contact.config.ContactSettings;
import io.engageflow.contact.persistence.MessageStore;
import io.engageflow.contact.persistence.SentMessage;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.runtime.actions.ActionOutcome;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.mail.SMTPException;
import jakarta.inject.Singleton;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Sends an email over SMTP to {@code to} or the contact's email. {@code body} is plain text; {@code template} is
 * HTML. SMTP has no idempotency key: a crash after the server took the mail and before its result was recorded sends
 * it again when the command is redelivered. The resend carries the same Message-ID (derived from the commandId), so a
 * receiving system or a reader can recognise it as the same message.
 *
 * <p>A transient refusal — a 4xx reply ("421 service not available", "451 try again later") or no connection at all —
 * means the server took nothing, so the send is tried again ({@code engageflow.email.transient-retries}, 2, with
 * backoff from {@code engageflow.email.retry-delay}, 500 ms) before the step takes its Failure path; a permanent (5xx)
 * refusal fails at once.
 */
@Singleton
public class ContactEmailSendAction extends MessageSendAction<ContactEmailSendAction.Config> {
    private static final Logger LOG = Logger.getLogger(ContactEmailSendAction.class);

    /** The email: plain-text {@code body} and/or HTML {@code template}; {@code to}, else the contact's email. */
    record Config(String subject, String body, String template, String to) implements Message {
        /** The log keeps the HTML when there is some. */
        @Override
        public String text() {
            return template != null ? template : body;
        }
    }

    private final ReactiveMailer mailer;
    private final int transientRetries;
    private final Duration retryDelay;

    public ContactEmailSendAction(ReactiveMailer mailer, Recipients recipients, MessageStore messages,
                                  ContactSettings settings) {
        super("ContactEmailSend", Config.class, SentMessage.EMAIL, "message_id", contact -> contact.email,
                recipients, messages);
        this.mailer = mailer;
        this.transientRetries = settings.email().transientRetries();
        this.retryDelay = settings.email().retryDelay();
    }

    @Override
    protected Uni<ActionOutcome> send(ActionCommand command, Config config, String to) {
        if (to == null || !to.contains("@")) {
            return Uni.createFrom().item(ActionOutcome.failure(ErrorCodes.NO_RECIPIENT,
                    "no email address: set 'to' or give the contact an email"));
        }
        String html = config.template();
        String text = config.body();
        String messageId = SentMessage.idOf(command);
        Mail mail = new Mail().addTo(to).setSubject(config.subject())
                .addHeader("Message-ID", "<" + messageId + "@engageflow>")
                .addHeader("X-Engageflow-Command", command.commandId());
        if (html != null) {
            mail.setHtml(html);
        }
        if (text != null) {
            mail.setText(text);
        }
        Uni<Void> sent = mailer.send(mail);
        if (transientRetries > 0) {
            sent = sent.onFailure(ContactEmailSendAction::nothingWasTaken).retry()
                    .withBackOff(retryDelay, retryDelay.multipliedBy(8)).atMost(transientRetries);
        }
        return sent
                .replaceWith(ActionOutcome.success(Map.of("message_id", messageId, "to", to)))
                .onFailure().recoverWithItem(e -> {
                    // an SMTP reply quotes the address it refused: ids and the reply code only above DEBUG
                    LOG.warnf("email for command %s (workspace %s) not delivered: %s", command.commandId(),
                            command.workspaceId(), SendFailures.summary(e));
                    LOG.debugf("email for command %s not delivered: %s", command.commandId(), e);
                    return ActionOutcome.failure(ErrorCodes.DELIVERY_FAILED, "SMTP delivery failed: " + e.getMessage());
                });
    }

    /** A refusal after which the server holds no part of the message, so sending again cannot double it. */
    static boolean nothingWasTaken(Throwable e) {
        return e instanceof SMTPException smtp ? smtp.isTransient() : e instanceof ConnectException;
    }
}
