package io.engageflow.bench;

import io.engageflow.contracts.json.JsonCodec;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;

/**
 * One system's measured phase, printed and written as bench-report.json, bench-report.html and bench-report.png.
 *
 * @param latency    send (the trigger's scheduled time) to the webhook's arrival at the sink, for every system
 * @param endLatency send to InstanceEnded on workflow.events (this project only; null for the peers)
 * @param processes  name → {average CPU cores during the phase, RSS MB at its end}
 * @param checks     what proves nothing was lost or doubled: sent, failed, duplicate webhooks, send errors, coupons
 * @param windows    send → webhook by window of send time ({@link Tracker.Window})
 */
record Report(String system, int cores, int warmup, int offered, int ratePerSecond, int completed, double seconds,
              int webhooks, Histogram latency, Histogram endLatency, Map<String, double[]> processes,
              Map<String, Object> checks, List<Tracker.Window> windows) {
    static final int STEPS_PER_INSTANCE = 3;
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 100};

    double ms(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1000.0;
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    double stepsPerSecond() {
        return completed * STEPS_PER_INSTANCE / seconds;
    }

    /** CPU milliseconds one completed step cost this process during the phase. */
    double cpuMsPerStep(double cores) {
        return completed == 0 ? 0 : cores * seconds * 1000 / (completed * (double) STEPS_PER_INSTANCE);
    }

    double cpuMsPerStepAll() {
        return processes.values().stream().mapToDouble(u -> cpuMsPerStep(u[0])).sum();
    }

    private static String label(double p) {
        return p == 100 ? "max" : String.valueOf(p).replace(".0", "");
    }

    void print() {
        System.out.printf("%s on %d cores, %s %s%n", system, cores, System.getProperty("os.name"),
                System.getProperty("os.arch"));
        System.out.printf("workflow: ContactFilter -> ContactCouponIssue -> HttpRequest (local sink); %d warm-up "
                + "triggers (not measured), then %d offered at %d/s%n", warmup, offered, ratePerSecond);
        System.out.printf("completed: %d instances (%d steps, %d webhooks received) in %.1f s = %.0f instances/s, "
                        + "%.0f steps/s%n", completed, completed * STEPS_PER_INSTANCE, webhooks, seconds,
                completed / seconds, stepsPerSecond());
        System.out.printf("send -> webhook at the sink (ms): p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", ms(50), ms(90),
                ms(99), ms(100));
        if (!windows.isEmpty()) {
            System.out.println("send -> webhook by send time, p50/p99 ms per " + Tracker.WINDOW_SECONDS + " s: "
                    + windows.stream().map(w -> String.format("%ds %.0f/%.0f", w.fromSecond(), w.p50Ms(), w.p99Ms()))
                    .collect(Collectors.joining("  ")));
        }
        if (endLatency != null) {
            System.out.printf("send -> instance ended (ms):      p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n",
                    ms(endLatency, 50), ms(endLatency, 90), ms(endLatency, 99), ms(endLatency, 100));
        }
        System.out.printf("CPU per step, all processes: %.2f ms%n", cpuMsPerStepAll());
        processes.forEach((name, u) -> System.out.printf("  %-28s cpu %.2f cores = %6.2f ms/step  rss %.0f MB%n", name,
                u[0], cpuMsPerStep(u[0]), u[1]));
        System.out.println("checks: " + checks);
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("system", system);
        json.put("machine", Map.of("cores", cores, "os", System.getProperty("os.name") + " "
                + System.getProperty("os.arch")));
        json.put("workflow", "ContactFilter -> ContactCouponIssue -> HttpRequest");
        json.put("warmup", warmup);
        json.put("offered", offered);
        json.put("ratePerSecond", ratePerSecond);
        json.put("completed", completed);
        json.put("webhooksReceived", webhooks);
        json.put("seconds", seconds);
        json.put("instancesPerSecond", completed / seconds);
        json.put("stepsPerSecond", stepsPerSecond());
        json.put("latencyBasis", "send (scheduled time) to the webhook's arrival at the sink");
        json.put("latencyMs", percentiles(latency));
        json.put("latencyBySendWindow", windows.stream().map(w -> Map.of("fromSecond", w.fromSecond(),
                "count", w.count(), "p50Ms", w.p50Ms(), "p99Ms", w.p99Ms())).toList());
        if (endLatency != null) {
            json.put("instanceEndLatencyMs", percentiles(endLatency));
        }
        json.put("cpuMsPerStep", cpuMsPerStepAll());
        Map<String, Object> procs = new LinkedHashMap<>();
        processes.forEach((n, u) -> procs.put(n, Map.of("cpuCores", u[0], "rssMb", u[1],
                "cpuMsPerStep", cpuMsPerStep(u[0]))));
        json.put("processes", procs);
        json.put("checks", checks);
        return json;
    }

    private static Map<String, Double> percentiles(Histogram h) {
        Map<String, Double> lat = new LinkedHashMap<>();
        for (double p : PERCENTILES) {
            lat.put("p" + label(p), ms(h, p));
        }
        return lat;
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = json();
        Files.writeString(dir.resolve("bench-report.json"), JsonCodec.encode(json));

        StringBuilder bars = new StringBuilder();
        double max = Math.max(1, ms(100));
        int y = 10;
        for (double p : PERCENTILES) {
            double w = 500 * ms(p) / max;
            bars.append(String.format("<text x='0' y='%d'>p%s</text><rect x='60' y='%d' width='%.0f' height='18' "
                    + "fill='#4a7'/><text x='%.0f' y='%d'>%.1f ms</text>", y + 14, label(p), y, w, 66 + w, y + 14,
                    ms(p)));
            y += 26;
        }
        String html = "<!doctype html><meta charset='utf-8'><title>" + system + " benchmark</title>"
                + "<h1>" + system + " benchmark</h1><p>" + cores + " cores; " + offered + " triggers at "
                + ratePerSecond + "/s after " + warmup + " warm-up triggers; "
                + String.format("%.0f instances/s, %.0f steps/s, %.2f CPU ms per step", completed / seconds,
                stepsPerSecond(), cpuMsPerStepAll()) + "</p><h2>Send to webhook at the sink</h2>"
                + "<svg width='700' height='" + (y + 10) + "' font-family='sans-serif' font-size='13'>" + bars
                + "</svg><pre>" + JsonCodec.encode(json) + "</pre>";
        Files.writeString(dir.resolve("bench-report.html"), html);
        writePng(dir.resolve("bench-report.png"));
    }

    /** The same figures as a picture: latency percentiles, then each process's CPU (headless AWT, no display). */
    void writePng(Path file) throws IOException {
        int width = 760;
        int height = 90 + 26 * PERCENTILES.length + 40 + 22 * processes.size();
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(String.format("%s: %d triggers at %d/s on %d cores: %.0f instances/s, %.0f steps/s", system,
                offered, ratePerSecond, cores, completed / seconds, stepsPerSecond()), 10, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("send to webhook at the sink (ms)", 10, 52);
        int y = 62;
        double maxMs = Math.max(1, ms(100));
        for (double p : PERCENTILES) {
            bar(g, p == 100 ? "max" : "p" + label(p), ms(p) / maxMs, String.format("%.1f ms", ms(p)), y, LATENCY);
            y += 26;
        }
        g.setColor(Color.BLACK);
        g.drawString(String.format("CPU during the run: cores used, ms per step (%.2f ms per step in all)",
                cpuMsPerStepAll()), 10, y + 24);
        y += 34;
        double maxCpu = Math.max(0.01, processes.values().stream().mapToDouble(u -> u[0]).max().orElse(1));
        for (Map.Entry<String, double[]> e : processes.entrySet()) {
            double cores = e.getValue()[0];
            bar(g, e.getKey(), cores / maxCpu, String.format("%.2f, %.2f ms", cores, cpuMsPerStep(cores)), y, CPU);
            y += 22;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    static final Color LATENCY = new Color(0x44, 0xaa, 0x77);
    static final Color CPU = new Color(0x44, 0x77, 0xaa);

    /** A white, anti-aliased picture to draw on, headless (no display needed). */
    static Graphics2D canvas(BufferedImage image) {
        System.setProperty("java.awt.headless", "true");
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        return g;
    }

    /** One labelled bar at height y: the label at the left, the bar from x=230 (420 px = fraction 1), the value. */
    static void bar(Graphics2D g, String label, double fraction, String value, int y, Color color) {
        int x = 230;
        int w = (int) Math.round(420 * Math.max(0, Math.min(1, fraction)));
        g.setColor(Color.BLACK);
        g.drawString(label, 10, y + 14);
        g.setColor(color);
        g.fillRect(x, y, Math.max(1, w), 18);
        g.setColor(Color.BLACK);
        g.drawString(value, x + w + 6, y + 14);
    }
}
