package io.engageflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** CPU time and resident memory of the mesh's processes, read from /proc for the pids the launcher wrote. */
final class ProcessStats {
    private static final Path PIDS = Path.of(System.getProperty("pids", "deploy/local/.run/pids"));
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private ProcessStats() {
    }

    /**
     * name → {cpu ticks (user+system), rss kB}: the launcher's processes, PostgreSQL (all its backends summed; their
     * RSS double-counts shared buffers) and this load generator itself, since all share the machine's cores.
     */
    static Map<String, long[]> snapshot() {
        Map<String, long[]> out = new LinkedHashMap<>();
        try (var files = Files.list(PIDS)) {
            for (Path f : files.sorted().toList()) {
                long[] stats = read(Files.readString(f).trim());
                if (stats != null) {
                    out.put(f.getFileName().toString().replace(".pid", ""), stats);
                }
            }
        } catch (IOException e) {
            System.err.println("no process stats (" + e.getMessage() + "); is the mesh running from deploy/local?");
        }
        long[] postgres = {0, 0};
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                long[] stats = isPostgres(proc) ? read(proc.getFileName().toString()) : null;
                if (stats != null) {
                    postgres[0] += stats[0];
                    postgres[1] += stats[1];
                }
            }
        } catch (IOException e) {
            System.err.println("no PostgreSQL stats: " + e.getMessage());
        }
        out.put("postgresql", postgres);
        long[] self = read(String.valueOf(ProcessHandle.current().pid()));
        if (self != null) {
            out.put("load generator (bench)", self);
        }
        return out;
    }

    private static boolean isPostgres(Path proc) {
        try {
            return Files.readString(proc.resolve("comm")).trim().equals("postgres");
        } catch (IOException e) {
            return false; // the process ended meanwhile
        }
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

    /** name → {average CPU cores used during the run, RSS MB at the end}. */
    static Map<String, double[]> usage(Map<String, long[]> before, Map<String, long[]> after, double seconds) {
        Map<String, double[]> out = new LinkedHashMap<>();
        after.forEach((name, a) -> {
            long[] b = before.getOrDefault(name, new long[] {a[0], a[1]});
            out.put(name, new double[] {(a[0] - b[0]) / TICKS_PER_SECOND / seconds, a[1] / 1024.0});
        });
        return out;
    }
}
