package io.engageflow.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code --find-max}: offers rising rates, one step each, until a step is not sustained (its p99 above the bound, or
 * its instances not all done soon after its last trigger: completions fell behind), then bisects between the last
 * sustained rate and the first failing one. The knee is the highest rate sustained.
 */
final class RateSearch {
    /** What one step at one offered rate measured. {@code keptUp}: all its instances done within the drain window. */
    record Measure(int rate, int sent, int completed, double p50Ms, double p90Ms, double p99Ms, boolean keptUp,
                   double cpuMsPerStep, Report report) {
    }

    record Step(Measure measure, boolean sustained) {
    }

    /** {@code knee} is null when even the first rate was not sustained; {@code capped} when max-rate was sustained. */
    record Result(List<Step> steps, Integer knee, boolean capped) {
        Step kneeStep() {
            return steps.stream().filter(s -> knee != null && s.sustained() && s.measure().rate() == knee)
                    .reduce((a, b) -> b).orElse(null);
        }
    }

    interface Runner {
        /** Offers {@code rate} for one step and measures it; throws when the system can no longer be measured. */
        Measure run(int rate) throws Exception;
    }

    private final double p99BoundMs;
    private final int startRate;
    private final double factor;
    private final int maxRate;
    private final int refine;

    RateSearch(double p99BoundMs, int startRate, double factor, int maxRate, int refine) {
        this.p99BoundMs = p99BoundMs;
        this.startRate = startRate;
        this.factor = factor;
        this.maxRate = maxRate;
        this.refine = refine;
    }

    boolean sustained(Measure m) {
        return m.keptUp() && m.completed() == m.sent() && m.p99Ms() <= p99BoundMs;
    }

    Result search(Runner runner) throws Exception {
        List<Step> steps = new ArrayList<>();
        Integer knee = null;
        Integer failed = null;
        int rate = Math.min(startRate, maxRate);
        while (true) {
            Step step = run(runner, rate, steps);
            if (step == null) {
                return new Result(steps, knee, false);
            }
            if (!step.sustained()) {
                failed = rate;
                break;
            }
            knee = rate;
            if (rate >= maxRate) {
                return new Result(steps, knee, true);
            }
            rate = Math.min(maxRate, Math.max(rate + 1, (int) Math.round(rate * factor)));
        }
        if (knee == null) {
            return new Result(steps, null, false);
        }
        for (int i = 0; i < refine && failed - knee > Math.max(1, knee / 20); i++) {
            int mid = (knee + failed) / 2;
            Step step = run(runner, mid, steps);
            if (step == null) {
                break;
            }
            if (step.sustained()) {
                knee = mid;
            } else {
                failed = mid;
            }
        }
        return new Result(steps, knee, false);
    }

    private Step run(Runner runner, int rate, List<Step> steps) {
        Measure m;
        try {
            m = runner.run(rate);
        } catch (Exception e) {
            System.out.println("find-max: stopped at " + rate + "/s: " + e.getMessage());
            return null;
        }
        Step step = new Step(m, sustained(m));
        steps.add(step);
        System.out.printf("find-max: %5d/s offered: %d of %d done, p50 %.1f ms, p99 %.1f ms, %s, %.2f CPU ms/step"
                        + " -> %s%n", rate, m.completed(), m.sent(), m.p50Ms(), m.p99Ms(),
                m.keptUp() ? "kept up" : "fell behind", m.cpuMsPerStep(), step.sustained() ? "sustained" : "NOT");
        return step;
    }
}
