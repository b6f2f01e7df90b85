package io.engageflow.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time and resident memory of the processes of the system under test, read from /proc: the ones named by the
 * NAME.pid files of a folder (the mesh's launcher writes deploy/local/.run/pids; the peers' scripts write theirs),
 * PostgreSQL (the server's own processes and the backends of the run's databases, each backend diffed by pid so one
 * that ends mid-run does not subtract) and this load generator itself, since all share the machine's cores.
 */
final class ProcessStats {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    static final String POSTGRES = "postgresql";
    static final String SELF = "load generator (bench)";

    /** name → {cpu ticks, rss kB} for named processes; pid → {cpu ticks, rss kB} for PostgreSQL's. */
    record Snapshot(Map<String, long[]> named, Map<String, long[]> postgres) {
    }

    private final Path pids;
    private final List<String> databases;

    /** @param databases the databases whose backends count; empty counts every backend */
    ProcessStats(Path pids, List<String> databases) {
        this.pids = pids;
        this.databases = databases;
    }

    Snapshot snapshot() {
        Map<String, long[]> named = new LinkedHashMap<>();
        try (var files = Files.list(pids)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pid")).sorted().toList()) {
                long[] stats = read(Files.readString(f).trim());
                if (stats != null) {
                    named.put(f.getFileName().toString().replace(".pid", ""), stats);
                }
            }
        } catch (IOException e) {
            System.err.println("no process stats from " + pids + " (" + e.getMessage() + ")");
        }
        Map<String, long[]> postgres = new HashMap<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                if (countedPostgres(proc)) {
                    long[] stats = read(proc.getFileName().toString());
                    if (stats != null) {
                        postgres.put(proc.getFileName().toString(), stats);
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("no PostgreSQL stats: " + e.getMessage());
        }
        long[] self = read(String.valueOf(ProcessHandle.current().pid()));
        if (self != null) {
            named.put(SELF, self);
        }
        return new Snapshot(named, postgres);
    }

    private boolean countedPostgres(Path proc) {
        try {
            if (!Files.readString(proc.resolve("comm")).trim().equals("postgres")) {
                return false;
            }
            String title = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
            return databases.isEmpty() || counts(title, databases);
        } catch (IOException e) {
            return false; // the process ended meanwhile
        }
    }

    /**
     * A backend's title is "postgres: 15/main: USER DATABASE HOST(PORT) STATE"; the server itself and its helpers
     * (checkpointer, walwriter, autovacuum, …) serve every database and always count.
     */
    static boolean counts(String title, List<String> databases) {
        if (!title.startsWith("postgres: ")) {
            return true; // the postmaster
        }
        String[] parts = title.split(": ", 3);
        if (parts.length < 3) {
            return true;
        }
        String[] words = parts[2].trim().split("\\s+");
        boolean backend = words.length >= 3 && words[2].matches(".*\\(\\d+\\)|\\[local]");
        return !backend || databases.contains(words[1]);
    }

    private static long[] read(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            long rss = Files.readAllLines(Path.of("/proc", pid, "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", ""))
                    .mapToLong(Long::parseLong).findFirst().orElse(0);
            return new long[] {ticks, rss};
        } catch (IOException | RuntimeException e) {
            return null; // no such process (any more)
        }
    }

    /** name → {average CPU cores used during the run, RSS MB at the end}; PostgreSQL's processes as one. */
    static Map<String, double[]> usage(Snapshot before, Snapshot after, double seconds) {
        Map<String, double[]> out = new LinkedHashMap<>();
        after.named().forEach((name, a) -> {
            if (!name.equals(SELF)) {
                long[] b = before.named().getOrDefault(name, new long[] {a[0], a[1]});
                out.put(name, new double[] {(a[0] - b[0]) / TICKS_PER_SECOND / seconds, a[1] / 1024.0});
            }
        });
        long ticks = 0;
        long rss = 0;
        for (Map.Entry<String, long[]> e : after.postgres().entrySet()) {
            long[] b = before.postgres().get(e.getKey());
            ticks += e.getValue()[0] - (b == null ? 0 : b[0]); // a backend that started mid-run counts whole
            rss += e.getValue()[1];
        }
        out.put(POSTGRES, new double[] {ticks / TICKS_PER_SECOND / seconds, rss / 1024.0});
        long[] a = after.named().get(SELF);
        long[] b = before.named().get(SELF);
        if (a != null && b != null) {
            out.put(SELF, new double[] {(a[0] - b[0]) / TICKS_PER_SECOND / seconds, a[1] / 1024.0});
        }
        return out;
    }
}
