package io.engageflow.common.delivery;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * What a consumer does with a poll's records: typically decode them, change PostgreSQL in one transaction and
 * publish what follows ({@link Outbox}, or a recorded answer). {@link Delivery} runs it under the poison rule.
 */
public interface RecordStage {
    /**
     * Processes the records in order. A failure of the whole call makes the delivery wait (an outage) or split the
     * records and try smaller groups (a record that cannot be processed), so the work must be all-or-nothing: one
     * transaction, published only after commit.
     */
    Uni<Void> process(List<InboundRecord> records);

    /**
     * A record was parked on the dead-letter topic after {@code attempts} tries: the stage may end what the record
     * belonged to (e.g. the instance ends failed with the reason). A failure here is logged, never retried.
     */
    default Uni<Void> parked(InboundRecord record, String reason) {
        return Uni.createFrom().voidItem();
    }
}
