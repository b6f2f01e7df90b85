package io.engageflow.contact.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ContactSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The merge rule of a contact snapshot: newer data is never overwritten by older data. */
class ContactSnapshotMergeTest {
    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");
    private ContactEntity stored;

    @BeforeEach
    void storedAsOfT() {
        stored = ContactEntity.create("ws", "c-1", T);
        stored.merge(new ContactSnapshot("c-1", "ann@current.example", null, "Ann", null,
                Map.of("city", "Oslo", "score", 10)), T);
    }

    @Test
    void anOlderSnapshotOnlyFillsWhatIsEmpty() {
        stored.merge(new ContactSnapshot("c-1", "ann@older.example", "+15550100", "Annie", "Berg",
                Map.of("city", "Bergen", "zip", "0150")), T.minus(Duration.ofHours(1)));

        assertThat(stored.email).isEqualTo("ann@current.example");
        assertThat(stored.firstName).isEqualTo("Ann");
        assertThat(stored.phone).isEqualTo("+15550100");
        assertThat(stored.lastName).isEqualTo("Berg");
        assertThat(stored.properties()).isEqualTo(Map.of("city", "Oslo", "score", 10, "zip", "0150"));
        assertThat(stored.dataAsOf).as("the stored data is still as of T").isEqualTo(T);
    }

    @Test
    void aNewerSnapshotOverwritesWhatItCarriesAndKeepsTheRest() {
        Instant later = T.plus(Duration.ofHours(1));
        stored.merge(new ContactSnapshot("c-1", "ann@newer.example", null, null, "Berg", Map.of("city", "Bergen")),
                later);

        assertThat(stored.email).isEqualTo("ann@newer.example");
        assertThat(stored.lastName).isEqualTo("Berg");
        assertThat(stored.firstName).as("a field the snapshot does not carry is kept").isEqualTo("Ann");
        assertThat(stored.properties()).isEqualTo(Map.of("city", "Bergen", "score", 10));
        assertThat(stored.dataAsOf).isEqualTo(later);
    }

    @Test
    void afterANewerSnapshotTheOneBetweenCountsAsOlder() {
        stored.merge(new ContactSnapshot("c-1", "ann@newest.example", null, null, null, Map.of()),
                T.plus(Duration.ofHours(2)));
        stored.merge(new ContactSnapshot("c-1", "ann@between.example", null, "Anna", null, Map.of("city", "Bergen")),
                T.plus(Duration.ofHours(1)));

        assertThat(stored.email).isEqualTo("ann@newest.example");
        assertThat(stored.firstName).isEqualTo("Ann");
        assertThat(stored.properties()).containsEntry("city", "Oslo");
        assertThat(stored.dataAsOf).isEqualTo(T.plus(Duration.ofHours(2)));
    }
}
