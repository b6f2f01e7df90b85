package io.engageflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateSearchTest {
    /** A system that sustains up to {@code capacity}/s: above it, p99 is far past the bound and it falls behind. */
    private static RateSearch.Runner system(int capacity, List<Integer> offered) {
        return rate -> {
            offered.add(rate);
            boolean ok = rate <= capacity;
            return new RateSearch.Measure(rate, rate * 10, rate * 10, 5, 8, ok ? 20 : 4000, ok, 1.0, null);
        };
    }

    @Test
    void risesByTheFactorThenBisectsToTheKnee() throws Exception {
        List<Integer> offered = new ArrayList<>();
        RateSearch.Result result = new RateSearch(1000, 20, 1.5, 5000, 2).search(system(90, offered));

        // 20, 30, 45, 68 sustained; 102 not; then bisection: 85 sustained, 93 not
        assertThat(offered).containsExactly(20, 30, 45, 68, 102, 85, 93);
        assertThat(result.knee()).isEqualTo(85);
        assertThat(result.capped()).isFalse();
        assertThat(result.kneeStep().measure().rate()).isEqualTo(85);
    }

    @Test
    void aStepWhoseLatencyIsFineButFellBehindIsNotSustained() throws Exception {
        RateSearch search = new RateSearch(1000, 20, 2, 5000, 0);
        RateSearch.Result result = search.search(rate -> new RateSearch.Measure(rate, rate * 10,
                rate <= 40 ? rate * 10 : rate * 10 - 1, 5, 8, 50, rate <= 40, 1.0, null));

        assertThat(result.knee()).isEqualTo(40);
        assertThat(result.steps()).extracting(RateSearch.Step::sustained).containsExactly(true, true, false);
    }

    @Test
    void noKneeWhenTheFirstRateFailsAndCappedWhenTheMaximumHolds() throws Exception {
        List<Integer> offered = new ArrayList<>();
        assertThat(new RateSearch(1000, 20, 1.5, 5000, 2).search(system(10, offered)).knee()).isNull();
        assertThat(offered).containsExactly(20);

        RateSearch.Result capped = new RateSearch(1000, 20, 2, 100, 2).search(system(1_000_000, new ArrayList<>()));
        assertThat(capped.knee()).isEqualTo(100);
        assertThat(capped.capped()).isTrue();
    }

    @Test
    void aRunThatCannotBeMeasuredEndsTheSearchAtTheLastSustainedRate() throws Exception {
        RateSearch.Result result = new RateSearch(1000, 20, 2, 5000, 2).search(rate -> {
            if (rate > 40) {
                throw new IllegalStateException("its backlog did not clear");
            }
            return new RateSearch.Measure(rate, 10, 10, 5, 8, 20, true, 1.0, null);
        });
        assertThat(result.knee()).isEqualTo(40);
    }
}
