package io.engageflow.common.delivery;

import io.engageflow.contracts.json.Decoded;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * What a consumer does with a poll's records: read each, then change PostgreSQL in one transaction and publish what
 * follows ({@link Outbox}, or a recorded answer). {@link Delivery} runs it under the poison rule.
 *
 * @param <T> what a record holds once read (a trigger, a result, a command)
 */
public interface RecordStage<T> {
    /** Reads a record; one that cannot be read (not JSON, a required field missing) is parked at once. */
    Decoded<T> read(InboundRecord record);

    /**
     * Processes the records in order. A failure of the whole call makes the delivery wait (an outage) or split the
     * records and try smaller groups (a record that cannot be processed), so the work must be all-or-nothing: one
     * transaction, published only after commit.
     */
    Uni<Void> process(List<Item<T>> items);

    /**
     * A record was parked on the dead-letter topic: the stage may end what the record belonged to (e.g. the instance
     * ends failed with the reason). {@code value} is null when the record could not be read. A failure here is
     * logged, never retried.
     */
    default Uni<Void> parked(InboundRecord record, T value, String reason) {
        return Uni.createFrom().voidItem();
    }

    /** A record and what it holds. */
    record Item<T>(InboundRecord record, T value) {
    }
}
