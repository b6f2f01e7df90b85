package io.engageflow.contracts;

/** The {@code error.code} values the engine and the action services report. */
public final class ErrorCodes {
    /** The action's result did not arrive before the step's deadline. */
    public static final String TIMEOUT = "Timeout";
    /** The workspace has no connected app for the provider the action needs. */
    public static final String NOT_CONNECTED = "NotConnected";
    /** The command's config is missing a required key or has a value of the wrong kind. */
    public static final String INVALID_CONFIG = "InvalidConfig";
    /** No handler in the receiving service knows the command's action. */
    public static final String UNKNOWN_ACTION = "UnknownAction";
    /** A condition did not hold (ContactFilter, GameplayFilter). */
    public static final String CONDITION_NOT_MET = "ConditionNotMet";
    /** A condition could not be evaluated (syntax or a missing value). */
    public static final String CONDITION_ERROR = "ConditionError";
    /** An outside provider answered with an error or could not be reached. */
    public static final String PROVIDER_ERROR = "ProviderError";
    /** HttpRequest refused a URL (scheme, loopback, private or metadata address). */
    public static final String URL_NOT_ALLOWED = "UrlNotAllowed";
    /** Sending an email or SMS failed. */
    public static final String DELIVERY_FAILED = "DeliveryFailed";
    /** The contact has no address for the channel (no email, no phone). */
    public static final String NO_RECIPIENT = "NoRecipient";
    /**
     * The record could never be processed and was parked on a dead-letter topic (after its attempts): the step could
     * not run at all, and its instance ends failed.
     */
    public static final String DEAD_LETTERED = "DeadLettered";
    /** A message would be larger than the broker takes (a command with its contact, trigger and earlier outputs). */
    public static final String PAYLOAD_TOO_LARGE = "PayloadTooLarge";
    /** The action threw instead of returning an outcome: a bug, reported rather than lost. */
    public static final String INTERNAL = "InternalError";

    private ErrorCodes() {
    }
}
