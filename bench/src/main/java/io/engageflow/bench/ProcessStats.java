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

    /** name → {cpu ticks (user+system), rss kB}. */
    static Map<String, long[]> snapshot() {
        Map<String, long[]> out = new LinkedHashMap<>();
        try (var files = Files.list(PIDS)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString().replace(".pid", "");
                String pid = Files.readString(f).trim();
                Path stat = Path.of("/proc", pid, "stat");
                if (!Files.exists(stat)) {
                    continue;
                }
                String[] fields = Files.readString(stat).substring(Files.readString(stat).lastIndexOf(')') + 2)
                        .split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                long rss = Files.readAllLines(Path.of("/proc", pid, "status")).stream()
                        .filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", ""))
                        .mapToLong(Long::parseLong).findFirst().orElse(0);
                out.put(name, new long[] {ticks, rss});
            }
        } catch (IOException e) {
            System.err.println("no process stats (" + e.getMessage() + "); is the mesh running from deploy/local?");
        }
        return out;
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
