package io.engageflow.contact;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The outside peers of contact-actions: a real SMTP server (GreenMail) and an SMS provider (WireMock). The SMTP
 * server refuses every recipient at {@link #REFUSING_DOMAIN} as a real one refuses an unknown user, quoting the
 * address in its reply.
 */
public class ContactPeers implements QuarkusTestResourceLifecycleManager {
    static final String REFUSING_DOMAIN = "refused.example";
    /** The SMS provider's Messages API, of the account the service is configured with. */
    static final String SMS_API = "/2010-04-01/Accounts/AC123/Messages.json";
    static GreenMail smtp;
    /** The mailer's server: GreenMail behind a gate that can turn connections away (421). */
    static SmtpGate gate;
    static WireMockServer sms;

    @Override
    public Map<String, String> start() {
        int smtpPort = freePort();
        smtp = new RefusingGreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            gate = new SmtpGate(smtpPort);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        sms = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        sms.start();
        return Map.of(
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(gate.port()),
                // a connection per email, so that the gate sees (and can refuse) each send
                "quarkus.mailer.keep-alive", "false",
                "engageflow.email.retry-delay", "100ms",
                "engageflow.sms.base-url", "http://127.0.0.1:" + sms.port(),
                "engageflow.sms.account-sid", "AC123",
                "engageflow.sms.auth-token", "secret",
                "engageflow.sms.from", "+15550001");
    }

    @Override
    public void stop() {
        if (gate != null) {
            try {
                gate.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (sms != null) {
            sms.stop();
        }
    }

    /** The emails the SMTP server took for {@code to}, in the order it took them. */
    static List<MimeMessage> receivedBy(String to) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(to);
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    /** From now on the SMS provider takes every message (201, queued) and names it {@code sid}. */
    static void smsAccepts(String sid) {
        sms.stubFor(post(urlEqualTo(SMS_API)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"sid\": \"" + sid + "\", \"status\": \"queued\"}")));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** GreenMail whose SMTP server answers RCPT TO of the refusing domain with 550, mail kept in the same store. */
    private static final class RefusingGreenMail extends GreenMail {
        RefusingGreenMail(ServerSetup setup) {
            super(setup);
        }

        @Override
        protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers managers) {
            SmtpManager refusing = new SmtpManager(managers.getImapHostManager(), managers.getUserManager()) {
                @Override
                public String checkRecipient(SmtpState state, MailAddress recipient) {
                    return REFUSING_DOMAIN.equalsIgnoreCase(recipient.getHost())
                            ? "550 5.1.1 <" + recipient + ">: Recipient address rejected: User unknown" : null;
                }
            };
            return super.createServices(config, new Managers() {
                @Override
                public SmtpManager getSmtpManager() {
                    return refusing;
                }

                @Override
                public UserManager getUserManager() {
                    return managers.getUserManager();
                }

                @Override
                public ImapHostManager getImapHostManager() {
                    return managers.getImapHostManager();
                }
            });
        }
    }
}
