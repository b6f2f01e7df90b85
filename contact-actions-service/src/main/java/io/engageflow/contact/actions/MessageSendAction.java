package io.engageflow.contact.actions;

import io.engageflow.contact.persistence.ContactEntity;
import io.engageflow.contact.persistence.MessageStore;
import io.engageflow.contact.persistence.SentMessage;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.OutputPaths;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.TypedOutsideAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.function.Function;

/**
 * An email or an SMS to the contact: sent to the config's {@code to}, else to the contact's own address for the
 * channel ({@link Recipients}); a Success is logged as a message of the contact ({@link MessageStore}) in the
 * transaction that records the result.
 */
// Subclasses are @Singleton: a normal-scoped proxy would need a no-args constructor here.
public abstract class MessageSendAction<C extends MessageSendAction.Message> implements TypedOutsideAction<C> {
    /** What a send's config says: where it goes (null: the contact's address) and what the log keeps of it. */
    interface Message {
        String to();

        /** The subject the log keeps, null for none. */
        String subject();

        /** The text the log keeps. */
        String text();
    }

    private final String action;
    private final Class<C> configType;
    private final String channel;
    private final String providerIdOutput;
    private final Function<ContactEntity, String> address;
    private final Recipients recipients;
    private final MessageStore messages;

    /**
     * @param providerIdOutput the output of a Success that holds the id the provider knows the message by
     * @param address          the contact's address for the channel, used when the config has no {@code to}
     */
    protected MessageSendAction(String action, Class<C> configType, String channel, String providerIdOutput,
                                Function<ContactEntity, String> address, Recipients recipients,
                                MessageStore messages) {
        this.action = action;
        this.configType = configType;
        this.channel = channel;
        this.providerIdOutput = providerIdOutput;
        this.address = address;
        this.recipients = recipients;
        this.messages = messages;
    }

    @Override
    public String action() {
        return action;
    }

    @Override
    public Class<C> configType(String action) {
        return configType;
    }

    @Override
    public Uni<ActionOutcome> call(ActionCommand command, C config) {
        return recipients.of(command, config.to(), address).chain(to -> send(command, config, to));
    }

    /** Sends the message to {@code to}: null when neither the config nor the contact has an address. */
    protected abstract Uni<ActionOutcome> send(ActionCommand command, C config, String to);

    /** The message log row of a sent message, in the transaction that records the result. */
    @Override
    public Uni<Void> record(ActionCommand command, C config, ActionOutcome outcome, SqlConnection tx) {
        if (!OutputPaths.SUCCESS.equals(outcome.path())) {
            return Uni.createFrom().voidItem();
        }
        return messages.insert(tx, SentMessage.of(command, channel, String.valueOf(outcome.outputs().get("to")),
                config.subject(), config.text(), String.valueOf(outcome.outputs().get(providerIdOutput))));
    }
}
