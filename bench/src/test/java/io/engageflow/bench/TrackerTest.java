package io.engageflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TrackerTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void latencyIsAlsoKeptByTheWindowOfSendTimeTheTriggerWasScheduledIn() {
        Tracker t = new Tracker(false);
        long t0 = 1_000 * S;
        t.sent("a", t0);                 // window 0 s, 20 ms
        t.sent("b", t0 + 9 * S);         // window 0 s, 40 ms
        t.sent("c", t0 + 25 * S);        // window 20 s, 300 ms: no trigger scheduled in 10-20 s
        t.webhook("b", t0 + 9 * S + 40 * MS);
        t.webhook("a", t0 + 20 * MS);
        t.webhook("c", t0 + 25 * S + 300 * MS);
        t.webhook("c", t0 + 26 * S);     // a duplicate counts once, in no window

        assertThat(t.windows()).extracting(Tracker.Window::fromSecond, Tracker.Window::count)
                .containsExactly(tuple(0, 2L), tuple(20, 1L));
        assertThat(t.windows().get(0).p99Ms()).isCloseTo(40.0, within(0.5));
        assertThat(t.windows().get(1).p50Ms()).isCloseTo(300.0, within(3.0)); // 2 significant digits
        assertThat(t.duplicates()).isEqualTo(1);
    }
}
