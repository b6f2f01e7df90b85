package io.engageflow.e2e;

import io.engageflow.e2e.ConsumerGroups.Position;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * How long a partition waited: every second it samples each mesh group's committed offset and the partition's end.
 * A partition stalls while it has lag and its committed offset does not move; the stall ends when the offset moves
 * or the lag is gone. Samples that fail (the broker is down) do not end a stall: that time counts. Each stall is
 * also marked for whether a fault was in progress at any sample of it, so the longest stall with no process down
 * can be told from the longest overall (which a crashed consumer's session timeout and restart make long).
 */
final class PartitionStalls implements AutoCloseable {
    /** A stall: which group on which partition, from when to when, and whether a fault was in progress during it. */
    record Stall(String group, String partition, Instant from, Instant to, boolean duringFault) {
        Duration length() {
            return Duration.between(from, to);
        }

        @Override
        public String toString() {
            return String.format("%.1f s: %s on %s, %s to %s", length().toMillis() / 1000.0, group, partition,
                    from, to);
        }
    }

    private static final class Open {
        long committed;
        Instant since;
        boolean duringFault;
    }

    private final ConsumerGroups groups;
    private final BooleanSupplier faultInProgress;
    private final Map<String, Open> open = new HashMap<>();
    private final Thread thread = new Thread(this::run, "partition-stalls");
    private volatile boolean stopping;
    private volatile Stall longest;
    private volatile Stall longestWithoutFault;
    private volatile int samples;
    private volatile int failedSamples;

    PartitionStalls(String bootstrapServers, BooleanSupplier faultInProgress) {
        this.groups = new ConsumerGroups(bootstrapServers, 3000);
        this.faultInProgress = faultInProgress;
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!stopping) {
            long next = System.currentTimeMillis() + 1000;
            boolean fault = faultInProgress.getAsBoolean();
            try {
                sample(groups.positions(), fault, Instant.now());
                samples++;
            } catch (Exception e) {
                failedSamples++;
                open.values().forEach(o -> o.duringFault |= fault);
            }
            Mesh.sleep(Math.max(0, next - System.currentTimeMillis()));
        }
    }

    private void sample(Iterable<Position> positions, boolean fault, Instant now) {
        for (Position p : positions) {
            String id = p.group() + " " + p.partition();
            Open o = open.get(id);
            if (o == null || p.committed() != o.committed || p.lag() == 0) {
                if (o != null && o.since != null) {
                    note(new Stall(p.group(), p.partition().toString(), o.since, now, o.duringFault));
                }
                o = new Open();
                o.committed = p.committed();
                open.put(id, o);
            }
            if (p.lag() > 0 && o.since == null) {
                o.since = now;
                o.duringFault = fault;
            } else if (o.since != null) {
                o.duringFault |= fault;
                // the stall so far counts too: one that never ends must show in the figures
                note(new Stall(p.group(), p.partition().toString(), o.since, now, o.duringFault));
            }
        }
    }

    private void note(Stall stall) {
        if (longest == null || stall.length().compareTo(longest.length()) > 0) {
            longest = stall;
        }
        if (!stall.duringFault() && (longestWithoutFault == null
                || stall.length().compareTo(longestWithoutFault.length()) > 0)) {
            longestWithoutFault = stall;
        }
    }

    Stall longest() {
        return longest;
    }

    Stall longestWithoutFault() {
        return longestWithoutFault;
    }

    int samples() {
        return samples;
    }

    int failedSamples() {
        return failedSamples;
    }

    /** Stops sampling (a stall still open counts as it stands); closing again does nothing. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (stopping) {
            return;
        }
        stopping = true;
        thread.join();
        groups.close();
    }
}
