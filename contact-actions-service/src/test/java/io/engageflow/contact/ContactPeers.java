package io.engageflow.contact;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

/** The outside peers of contact-actions: a real SMTP server (GreenMail) and an SMS provider (WireMock). */
public class ContactPeers implements QuarkusTestResourceLifecycleManager {
    static GreenMail smtp;
    /** The mailer's server: GreenMail behind a gate that can turn connections away (421). */
    static SmtpGate gate;
    static WireMockServer sms;

    @Override
    public Map<String, String> start() {
        int smtpPort = freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
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

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
