package io.engageflow.bench;

import io.engageflow.contracts.json.JsonCodec;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Load generator for the bench workflow (ContactFilter → ContactCouponIssue → HttpRequest to a sink it runs), against
 * this project's mesh (triggers on Kafka) or a peer over HTTP (bench/peer-restate, bench/peer-dbos). A warm-up phase
 * first (sent at the same rate, awaited, not measured), then either one measured phase of N triggers at a fixed rate
 * or, with {@code --find-max}, rising rates until p99 passes a bound. Returns by itself once the report is written.
 *
 * <pre>bench/run.sh [triggers=2000] [rate-per-second=200] [--warmup N] [--find-max] … (--help)</pre>
 */
public final class Bench {
    private final Options options;
    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicReference<Tracker> tracker = new AtomicReference<>();
    private final ProcessStats stats;
    private final int cores = Runtime.getRuntime().availableProcessors();
    private int totalSent;
    private int phase;

    Bench(Options options) {
        this.options = options;
        this.stats = new ProcessStats(options.pids(), options.pgDatabases());
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (!new Bench(options).run()) {
            System.exit(1);
        }
        // no exit on success: every thread left is a daemon, so the JVM ends here (a test holds it to that)
    }

    /** @return whether every instance completed once, with its coupon */
    boolean run() throws Exception {
        tracker.set(new Tracker(options.mesh()));
        try (Sink sink = new Sink(tracker::get);
             Target target = options.mesh() ? new MeshTarget(options, tag, tracker::get)
                     : new HttpTarget(options.url())) {
            target.prepare(sink.url());
            System.out.printf("%s: run %s, sink %s%n", options.name(), tag, sink.url());
            if (options.warmup() > 0) {
                Tracker warm = phase(target, options.warmup(), options.warmupRate());
                boolean done = warm.awaitAllDone(deadline(options.drainSeconds()));
                System.out.printf("warm-up: %d of %d done, p50 %.1f ms, p99 %.1f ms (not measured)%n",
                        warm.completed(), warm.sent(), ms(warm.latency(), 50), ms(warm.latency(), 99));
                if (!done || warm.completed() != warm.sent()) {
                    System.out.println("warm-up did NOT complete: " + warm.completed() + " of " + warm.sent());
                    return false;
                }
            }
            Outcome outcome = options.findMax() ? findMax(target) : measure(target);
            long coupons = coupons();
            System.out.printf("all phases: %d triggers sent, %s coupons issued, %d send errors%n", totalSent,
                    coupons < 0 ? "(not counted)" : String.valueOf(coupons), target.sendErrors());
            boolean ok = outcome.ok();
            if (coupons >= 0 && coupons != totalSent) {
                System.out.println("coupons issued (" + coupons + ") differ from triggers sent (" + totalSent + ")");
                ok = false;
            }
            if (outcome.report() != null) {
                outcome.report().checks().put("triggersSentAllPhases", totalSent);
                outcome.report().checks().put("couponsAllPhases", coupons);
                outcome.report().print();
                outcome.report().write(options.out());
            }
            System.out.println(outcome.summary());
            return ok;
        }
    }

    /** A run's result: whether it passed, the report to print and write (null if none), a closing line. */
    private record Outcome(boolean ok, Report report, String summary) {
    }

    private Outcome measure(Target target) throws Exception {
        ProcessStats.Snapshot before = stats.snapshot();
        long start = System.nanoTime();
        Tracker t = phase(target, options.triggers(), options.rate());
        boolean done = t.awaitAllDone(deadline(options.drainSeconds()));
        Report report = report(t, start, before, options.triggers(), options.rate(), target);
        if (!done || t.completed() != t.sent() || t.duplicates() > 0) {
            return new Outcome(false, report, String.format("NOT all instances completed once within %d s after "
                    + "the last trigger: %d completed, %d failed, %d duplicate webhooks, of %d",
                    options.drainSeconds(), t.completed(), t.failed(), t.duplicates(), t.sent()));
        }
        return new Outcome(true, report, "every instance completed once");
    }

    private Outcome findMax(Target target) throws Exception {
        RateSearch search = new RateSearch(options.p99BoundMs(), options.startRate(), options.stepFactor(),
                options.maxRate(), options.refine());
        RateSearch.Result result = search.search(rate -> {
            ProcessStats.Snapshot before = stats.snapshot();
            long start = System.nanoTime();
            int count = Math.max(1, rate * options.stepSeconds());
            Tracker t = phase(target, count, rate);
            // kept up: all done within max(2 s, 2 × the bound) of the last trigger; a backlog takes longer
            boolean keptUp = t.awaitAllDone(System.nanoTime()
                    + TimeUnit.MILLISECONDS.toNanos((long) Math.max(2000, 2 * options.p99BoundMs())));
            Report report = report(t, start, before, count, rate, target);
            if (!keptUp && !t.awaitAllDone(deadline(options.drainSeconds()))) {
                throw new IllegalStateException("its backlog did not clear within " + options.drainSeconds() + " s");
            }
            return new RateSearch.Measure(rate, t.sent(), t.completed(), report.ms(50), report.ms(90), report.ms(99),
                    keptUp && t.duplicates() == 0, report.cpuMsPerStepAll(), report);
        });
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("system", options.name());
        json.put("p99BoundMs", options.p99BoundMs());
        json.put("stepSeconds", options.stepSeconds());
        json.put("knee", result.knee());
        json.put("capped", result.capped());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (RateSearch.Step s : result.steps()) {
            RateSearch.Measure m = s.measure();
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("rate", m.rate());
            step.put("sent", m.sent());
            step.put("completed", m.completed());
            step.put("p50Ms", m.p50Ms());
            step.put("p90Ms", m.p90Ms());
            step.put("p99Ms", m.p99Ms());
            step.put("keptUp", m.keptUp());
            step.put("cpuMsPerStep", m.cpuMsPerStep());
            step.put("sustained", s.sustained());
            steps.add(step);
        }
        json.put("steps", steps);
        Files.createDirectories(options.out());
        Files.writeString(options.out().resolve("bench-find-max.json"), JsonCodec.encode(json));
        RateSearch.Step knee = result.kneeStep();
        if (knee == null) {
            return new Outcome(false, null, String.format("knee: none: even %d/s was not sustained (p99 bound %.0f ms)",
                    options.startRate(), options.p99BoundMs()));
        }
        System.out.println("\nat the knee:");
        return new Outcome(true, knee.measure().report(), String.format("knee: %d instances/s offered and sustained "
                        + "(%d steps/s), p99 %.1f ms <= %.0f ms%s", result.knee(),
                result.knee() * Report.STEPS_PER_INSTANCE, knee.measure().p99Ms(), options.p99BoundMs(),
                result.capped() ? " (--max-rate reached: the real knee is higher)" : ""));
    }

    /** Sends {@code count} triggers at {@code rate} per second, open loop, into a fresh tracker; returns it. */
    private Tracker phase(Target target, int count, int rate) {
        Tracker t = new Tracker(target.reportsEnd());
        tracker.set(t);
        String prefix = tag + "-" + (phase++) + "-";
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            String key = prefix + i;
            t.sent(key, due);
            target.send(key);
        }
        totalSent += count;
        return t;
    }

    private Report report(Tracker t, long start, ProcessStats.Snapshot before, int offered, int rate, Target target) {
        long end = Math.max(t.lastDoneNanos(), start + 1);
        double seconds = (end - start) / 1e9;
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("sent", t.sent());
        checks.put("completed", t.completed());
        checks.put("failed", t.failed());
        checks.put("duplicateWebhooks", t.duplicates());
        checks.put("sendErrors", target.sendErrors());
        return new Report(options.name(), cores, options.warmup(), offered, rate, t.completed(), seconds,
                t.webhooks(), t.latency(), t.endLatency(), ProcessStats.usage(before, stats.snapshot(), seconds),
                checks, t.windows());
    }

    /** The run's coupons, counted where the system keeps them, or -1 when no query is configured. */
    private long coupons() throws Exception {
        if (options.couponsJdbc() == null || options.couponsSql() == null) {
            return -1;
        }
        try (Connection c = DriverManager.getConnection(options.couponsJdbc(), "postgres", null);
             PreparedStatement s = c.prepareStatement(options.couponsSql())) {
            s.setString(1, tag);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long deadline(int seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }
}
