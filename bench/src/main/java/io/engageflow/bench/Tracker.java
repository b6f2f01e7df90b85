package io.engageflow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One phase's triggers: when each was due to be sent, when its webhook reached the sink and (mesh) when its instance
 * ended. Latency counts from the trigger's scheduled send time, so a sender that falls behind cannot hide queueing.
 */
final class Tracker {
    /** The width of a window of {@link #windows()}, in seconds of send time. */
    static final int WINDOW_SECONDS = 10;

    /**
     * Send → webhook of the triggers scheduled in one window of the phase: whether latency is spread over the phase or
     * bunched at its start (what a warm-up left) or in a burst (a checkpoint, a collection) shows here.
     */
    record Window(int fromSecond, long count, double p50Ms, double p99Ms) {
    }

    private final boolean needsEnd;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    private final Histogram endLatency = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    private int sent;
    private int completed;
    private int failed;
    private int webhooks;
    private int duplicates;
    private long lastDoneNanos;
    private long firstScheduledNanos;
    private final TreeMap<Integer, Histogram> byWindow = new TreeMap<>();

    private static final class Pending {
        final long sentAt;
        long webhookAt;
        boolean ended;
        boolean endedOk;
        boolean done;

        Pending(long sentAt) {
            this.sentAt = sentAt;
        }
    }

    /** @param needsEnd true when an instance counts as done only once its InstanceEnded event arrived too (mesh) */
    Tracker(boolean needsEnd) {
        this.needsEnd = needsEnd;
    }

    synchronized void sent(String key, long scheduledNanos) {
        if (sent == 0) {
            firstScheduledNanos = scheduledNanos;
        }
        pending.put(key, new Pending(scheduledNanos));
        sent++;
    }

    /** The sink received a webhook for this key (contact id). */
    synchronized void webhook(String key, long now) {
        Pending p = pending.get(key);
        if (p == null) {
            return; // another phase's or another run's
        }
        webhooks++;
        if (p.webhookAt != 0) {
            duplicates++;
            return;
        }
        p.webhookAt = now;
        long micros = Math.max(1, (now - p.sentAt) / 1000);
        latency.recordValue(micros);
        int window = (int) (TimeUnit.NANOSECONDS.toSeconds(p.sentAt - firstScheduledNanos) / WINDOW_SECONDS);
        byWindow.computeIfAbsent(window, w -> new Histogram(TimeUnit.MINUTES.toMicros(10), 2)).recordValue(micros);
        settle(p, now);
    }

    /** The instance of this key ended (mesh only); {@code ok} when it ended completed. */
    synchronized void ended(String key, boolean ok, long now) {
        Pending p = pending.get(key);
        if (p == null || p.ended) {
            return;
        }
        p.ended = true;
        p.endedOk = ok;
        endLatency.recordValue(Math.max(1, (now - p.sentAt) / 1000));
        settle(p, now);
    }

    private void settle(Pending p, long now) {
        if (p.done) {
            return;
        }
        if (needsEnd && p.ended && !p.endedOk) {
            p.done = true;
            failed++;
        } else if (p.webhookAt != 0 && (!needsEnd || p.ended)) {
            p.done = true;
            completed++;
        } else {
            return;
        }
        lastDoneNanos = Math.max(lastDoneNanos, now);
        notifyAll();
    }

    /** Waits until every trigger sent so far is done (completed or failed), or the deadline passes. */
    synchronized boolean awaitAllDone(long deadlineNanos) throws InterruptedException {
        while (completed + failed < sent) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
        }
        return true;
    }

    synchronized int sent() {
        return sent;
    }

    synchronized int completed() {
        return completed;
    }

    synchronized int failed() {
        return failed;
    }

    synchronized int webhooks() {
        return webhooks;
    }

    synchronized int duplicates() {
        return duplicates;
    }

    synchronized long lastDoneNanos() {
        return lastDoneNanos;
    }

    synchronized Histogram latency() {
        return latency.copy();
    }

    /** Send → webhook by window of send time, in order. */
    synchronized List<Window> windows() {
        List<Window> windows = new ArrayList<>();
        byWindow.forEach((w, h) -> windows.add(new Window(w * WINDOW_SECONDS, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0)));
        return windows;
    }

    /** Send → instance ended, or null where the target has no such event (the peers). */
    synchronized Histogram endLatency() {
        return needsEnd ? endLatency.copy() : null;
    }
}
