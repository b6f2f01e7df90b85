package io.engageflow.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Crashes on a schedule: every {@code pause}, one process — a service of the mesh or the broker — is killed with
 * SIGKILL, left down a moment, and started again (and waited for: never two faults at once). The victims come in
 * rounds, each a random order of all six, so every one is hit as often as the others. {@link #stop} lets the fault
 * in progress finish: the run ends with everything up.
 */
final class ChaosFaults implements AutoCloseable {
    static final String BROKER = "kafka";

    /** One fault: what was killed, when, and when it served again. */
    record Fault(String target, Instant killed, Instant up) {
    }

    private final Mesh mesh;
    private final KafkaProcess broker;
    private final Duration pause;
    private final Random random;
    private final List<Fault> faults = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread = new Thread(this::run, "chaos-faults");
    private volatile boolean stopping;
    private volatile String down;
    private volatile Throwable failure;

    ChaosFaults(Mesh mesh, KafkaProcess broker, Duration pause, long seed) {
        this.mesh = mesh;
        this.broker = broker;
        this.pause = pause;
        this.random = new Random(seed);
    }

    void start() {
        thread.start();
    }

    private void run() {
        List<String> round = new ArrayList<>();
        try {
            while (!stopping) {
                if (!sleepUnlessStopping(pause.toMillis())) {
                    return;
                }
                if (round.isEmpty()) {
                    round.addAll(Mesh.SERVICES);
                    round.add(BROKER);
                    Collections.shuffle(round, random);
                }
                String target = round.remove(0);
                Instant killed = Instant.now();
                down = target;
                if (target.equals(BROKER)) {
                    broker.kill();
                } else {
                    mesh.kill(target);
                }
                Mesh.sleep(random.nextInt(3000)); // down a moment: the others notice, work waits for it
                if (target.equals(BROKER)) {
                    broker.start();
                } else {
                    mesh.restart(target);
                }
                faults.add(new Fault(target, killed, Instant.now()));
                down = null;
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    private boolean sleepUnlessStopping(long ms) {
        long until = System.currentTimeMillis() + ms;
        while (!stopping && System.currentTimeMillis() < until) {
            Mesh.sleep(100);
        }
        return !stopping;
    }

    /** Whether a process is down or starting again right now. */
    boolean inProgress() {
        return down != null;
    }

    /** Stops injecting once the fault in progress has ended (its process serves again); fails if one went wrong. */
    void stop() throws InterruptedException {
        stopping = true;
        thread.join();
        if (failure != null) {
            throw new IllegalStateException("a fault could not be injected or recovered from", failure);
        }
    }

    List<Fault> faults() {
        return List.copyOf(faults);
    }

    /** How many times each target was killed, in the order of first kill. */
    Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String target : Mesh.SERVICES) {
            counts.put(target, 0);
        }
        counts.put(BROKER, 0);
        faults().forEach(f -> counts.merge(f.target(), 1, Integer::sum));
        return counts;
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join();
    }
}
