package io.engageflow.contact.actions;

import io.vertx.ext.mail.SMTPException;

/**
 * A failed send as a log line above DEBUG may show it: the failure's type and the server's reply code, never its
 * message. An SMTP server's reply quotes the address it refused ("550 5.1.1 &lt;ann@example.com&gt;: ...").
 */
final class SendFailures {
    private SendFailures() {
    }

    static String summary(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SMTPException smtp) {
                return "SMTP reply " + smtp.getReplyCode();
            }
        }
        return e.getClass().getName();
    }
}
