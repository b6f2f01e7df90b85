package io.engageflow.contact.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * What contact-actions-service can be configured with besides the shared settings (service-common's, the delivery
 * kit's, action-runtime's {@code engageflow.actions.*}) and Quarkus's own ({@code quarkus.mailer.*} for SMTP). README
 * "Configuration" lists these settings; a test holds the two together.
 */
@ConfigMapping(prefix = "engageflow")
public interface ContactSettings {
    /** ContactEmailSend's SMTP sends. */
    Email email();

    /** ContactSmsSend's provider, speaking Twilio's Messages API; without its account, ContactSmsSend is NotConnected. */
    Sms sms();

    interface Email {
        /**
         * How many times a transient refusal of the SMTP server (4xx, or no connection: it took nothing) is tried
         * again before ContactEmailSend takes Failure; a 5xx fails at once.
         */
        @WithDefault("2")
        int transientRetries();

        /** The first wait before such a try; it doubles each time. */
        @WithDefault("500ms")
        Duration retryDelay();
    }

    interface Sms {
        /** The provider's API. */
        @WithDefault("https://api.twilio.com")
        URI baseUrl();

        /** The account the messages are sent from. */
        Optional<String> accountSid();

        /** The account's secret. */
        Optional<String> authToken();

        /** The sender's number. */
        Optional<String> from();
    }
}
