package io.engageflow.integration.client;

/**
 * When an outside call is made again after a failed attempt. The commandId already makes a redelivered command run
 * once; these are the attempts within one run.
 */
public enum Retries {
    /**
     * After a timeout, a connection failure, 429 or 5xx (a Retry-After header sets the wait). For provider calls that
     * a repeat does not change (Mailchimp's PUT, tag status, PATCH; Salesforce's PATCH and GET) or where the
     * provider's record is the same either way; see the README for what a repeat does at each provider.
     */
    ON_FAILURE,
    /**
     * Only where the receiver cannot have acted on the request: the connection was refused or never established
     * (nothing was sent), or it answered 429 or 503 with a Retry-After header (it asks to come back and did not
     * process it). A timeout, a lost connection or any other 5xx may come after the receiver acted, so it is not
     * tried again: the step takes Failure. For HttpRequest, whose receiver may not honour the Idempotency-Key.
     */
    WHERE_UNSENT;

    /** Whether a failed attempt may be made again under this policy. */
    boolean allows(ProviderResponse response, boolean unsent) {
        if (response.transportError() != null) {
            return this == ON_FAILURE ? !response.transportError().startsWith("response larger") : unsent;
        }
        int status = response.status();
        if (this == ON_FAILURE) {
            return status == 429 || status >= 500;
        }
        return (status == 429 || status == 503) && response.retryAfterMillis() != null;
    }
}
