package io.engageflow.common.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engageflow.common.config.DeliverySettings;
import io.engageflow.contracts.json.Decoded;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The poison rule, against a stage that plays the database: which records run, wait, split and are parked. */
class DeliveryTest {
    private final List<String> parked = new CopyOnWriteArrayList<>();
    private final List<String> hooks = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Outages outages = new Outages(config(), metrics);
    private final Delivery delivery = new Delivery(new RecordingDeadLetters(), outages, config(), metrics);

    private static DeliverySettings config() {
        return new DeliverySettings() {
            public int maxAttempts() {
                return 3;
            }

            public Duration retryDelay() {
                return Duration.ofMillis(1);
            }

            public Duration maxRetryDelay() {
                return Duration.ofMillis(5);
            }

            public int maxRecordBytes() {
                return 1000;
            }

            public int consumers() {
                return 1;
            }

            public Duration stopDeadline() {
                return Duration.ofSeconds(8);
            }

            public java.util.Optional<String> publisher() {
                return java.util.Optional.empty();
            }

            public Outbox outbox() {
                return null;
            }

            public Map<String, String> producer() {
                return Map.of();
            }
        };
    }

    /** Dead letters kept in memory instead of sent. */
    private final class RecordingDeadLetters extends DeadLetters {
        RecordingDeadLetters() {
            super(null, metrics, "test-service");
        }

        @Override
        public Uni<Void> park(InboundRecord record, String error, int attempts) {
            parked.add(record.value() + " after " + attempts + ": " + error);
            return Uni.createFrom().voidItem();
        }
    }

    /** A stage that commits what it is given unless it holds a poisoned value; "x" cannot be read at all. */
    private final class Stage implements RecordStage<String> {
        final Set<String> poison;
        final List<List<String>> calls = new ArrayList<>();
        final List<String> committed = new ArrayList<>();
        int outagesLeft;

        Stage(Set<String> poison, int outages) {
            this.poison = poison;
            this.outagesLeft = outages;
        }

        @Override
        public Decoded<String> read(InboundRecord record) {
            return record.value().equals("x") ? Decoded.failed("not a record") : Decoded.ok(record.value());
        }

        @Override
        public Uni<Void> process(List<Item<String>> items) {
            List<String> values = items.stream().map(Item::value).toList();
            calls.add(values);
            if (outagesLeft > 0) {
                outagesLeft--;
                return Uni.createFrom().failure(new Failures.BrokerUnavailableException("down", null));
            }
            if (values.stream().anyMatch(poison::contains)) {
                return Uni.createFrom().failure(new IllegalStateException("cannot apply"));
            }
            committed.addAll(values);
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> parked(InboundRecord record, String value, String reason) {
            hooks.add(record.value());
            return Uni.createFrom().voidItem();
        }
    }

    private static List<InboundRecord> records(String... values) {
        List<InboundRecord> records = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            records.add(new InboundRecord("t", 0, i, "k", values[i]));
        }
        return records;
    }

    @Test
    void aPollThatWorksIsProcessedInOneCall() {
        Stage stage = new Stage(Set.of(), 0);
        delivery.process(records("a", "b", "c"), stage).await().indefinitely();
        assertThat(stage.calls).containsExactly(List.of("a", "b", "c"));
        assertThat(parked).isEmpty();
    }

    @Test
    void anOutageIsWaitedOutAndThePollTriedWholeAgain() {
        Stage stage = new Stage(Set.of(), 4);
        delivery.process(records("a", "b"), stage).await().indefinitely();
        assertThat(stage.calls).hasSize(5).allSatisfy(call -> assertThat(call).containsExactly("a", "b"));
        assertThat(stage.committed).containsExactly("a", "b");
        assertThat(parked).isEmpty();
    }

    @Test
    void aPoisonRecordIsFoundBySplittingTriedThreeTimesAndParkedWhileTheOthersCommit() {
        Stage stage = new Stage(Set.of("c"), 0);
        delivery.process(records("a", "b", "c", "d", "e"), stage).await().indefinitely();
        assertThat(stage.committed).containsExactly("a", "b", "d", "e");
        assertThat(stage.calls.stream().filter(call -> call.equals(List.of("c")))).hasSize(3);
        assertThat(parked).singleElement().asString().startsWith("c after 3: IllegalStateException: cannot apply");
        assertThat(hooks).containsExactly("c");
    }

    @Test
    void anUnreadableRecordIsParkedAtOnceAndNeverReachesTheStage() {
        Stage stage = new Stage(Set.of(), 0);
        delivery.process(records("a", "x", "b"), stage).await().indefinitely();
        assertThat(stage.calls).containsExactly(List.of("a", "b"));
        assertThat(parked).singleElement().asString().isEqualTo("x after 1: unreadable: not a record");
        assertThat(hooks).containsExactly("x");
    }

    @Test
    void anOutageDuringShutdownFailsThePollInsteadOfParkingItsRecords() {
        Stage stage = new Stage(Set.of(), Integer.MAX_VALUE);
        outages.onStop(null);
        assertThatThrownBy(() -> delivery.process(records("a", "b"), stage).await().atMost(Duration.ofSeconds(5)))
                .hasMessageContaining("down");
        assertThat(parked).isEmpty();
        assertThat(stage.committed).isEmpty();
    }
}
