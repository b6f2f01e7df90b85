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
import java.util.Map;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;

/** The benchmark's figures, printed and written as bench-report.json, bench-report.html and bench-report.png. */
record Report(int cores, int offered, int ratePerSecond, int completed, double seconds, int webhooks,
              Histogram latency, Map<String, double[]> processes) {
    private static final int STEPS_PER_INSTANCE = 3;
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 100};

    double ms(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1000.0;
    }

    void print() {
        System.out.printf("machine: %d cores, %s %s%n", cores, System.getProperty("os.name"),
                System.getProperty("os.arch"));
        System.out.printf("workflow: ContactFilter -> ContactCouponIssue -> HttpRequest (local sink); %d triggers "
                + "offered at %d/s%n", offered, ratePerSecond);
        System.out.printf("completed: %d instances (%d steps, %d webhooks received) in %.1f s = %.0f instances/s, "
                        + "%.0f steps/s%n", completed, completed * STEPS_PER_INSTANCE, webhooks, seconds,
                completed / seconds, completed * STEPS_PER_INSTANCE / seconds);
        System.out.printf("trigger -> instance ended (ms): p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", ms(50), ms(90),
                ms(99), ms(100));
        processes.forEach((name, u) -> System.out.printf("  %-28s cpu %.2f cores  rss %.0f MB%n", name, u[0], u[1]));
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", Map.of("cores", cores, "os", System.getProperty("os.name") + " "
                + System.getProperty("os.arch")));
        json.put("workflow", "ContactFilter -> ContactCouponIssue -> HttpRequest");
        json.put("offered", offered);
        json.put("ratePerSecond", ratePerSecond);
        json.put("completed", completed);
        json.put("webhooksReceived", webhooks);
        json.put("seconds", seconds);
        json.put("instancesPerSecond", completed / seconds);
        json.put("stepsPerSecond", completed * STEPS_PER_INSTANCE / seconds);
        Map<String, Double> lat = new LinkedHashMap<>();
        for (double p : PERCENTILES) {
            lat.put("p" + (p == 100 ? "max" : String.valueOf(p).replace(".0", "")), ms(p));
        }
        json.put("latencyMs", lat);
        Map<String, Object> procs = new LinkedHashMap<>();
        processes.forEach((n, u) -> procs.put(n, Map.of("cpuCores", u[0], "rssMb", u[1])));
        json.put("processes", procs);
        Files.writeString(dir.resolve("bench-report.json"), JsonCodec.encode(json));

        StringBuilder bars = new StringBuilder();
        double max = Math.max(1, ms(100));
        int y = 10;
        for (double p : PERCENTILES) {
            double w = 500 * ms(p) / max;
            bars.append(String.format("<text x='0' y='%d'>p%s</text><rect x='60' y='%d' width='%.0f' height='18' "
                    + "fill='#4a7'/><text x='%.0f' y='%d'>%.1f ms</text>", y + 14, p == 100 ? "max"
                    : String.valueOf(p).replace(".0", ""), y, w, 66 + w, y + 14, ms(p)));
            y += 26;
        }
        String html = "<!doctype html><meta charset='utf-8'><title>Engageflow benchmark</title>"
                + "<h1>Engageflow benchmark</h1><p>" + cores + " cores; " + offered + " triggers at " + ratePerSecond
                + "/s; " + String.format("%.0f instances/s, %.0f steps/s", completed / seconds,
                completed * STEPS_PER_INSTANCE / seconds) + "</p><h2>Trigger to instance end</h2>"
                + "<svg width='700' height='" + (y + 10) + "' font-family='sans-serif' font-size='13'>" + bars
                + "</svg><pre>" + JsonCodec.encode(json) + "</pre>";
        Files.writeString(dir.resolve("bench-report.html"), html);
        writePng(dir.resolve("bench-report.png"));
    }

    /** The same figures as a picture: latency percentiles, then each process's CPU (headless AWT, no display). */
    void writePng(Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int width = 760;
        int height = 90 + 26 * PERCENTILES.length + 40 + 22 * processes.size();
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(String.format("Engageflow: %d triggers at %d/s on %d cores: %.0f instances/s, %.0f steps/s",
                offered, ratePerSecond, cores, completed / seconds, completed * STEPS_PER_INSTANCE / seconds), 10, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("trigger to instance end (ms)", 10, 52);
        int y = 62;
        double maxMs = Math.max(1, ms(100));
        for (double p : PERCENTILES) {
            bar(g, p == 100 ? "max" : "p" + String.valueOf(p).replace(".0", ""), ms(p) / maxMs,
                    String.format("%.1f ms", ms(p)), y, new Color(0x44, 0xaa, 0x77));
            y += 26;
        }
        g.setColor(Color.BLACK);
        g.drawString("CPU cores used during the run", 10, y + 24);
        y += 34;
        double maxCpu = Math.max(0.01, processes.values().stream().mapToDouble(u -> u[0]).max().orElse(1));
        for (Map.Entry<String, double[]> e : processes.entrySet()) {
            bar(g, e.getKey(), e.getValue()[0] / maxCpu, String.format("%.2f", e.getValue()[0]), y,
                    new Color(0x44, 0x77, 0xaa));
            y += 22;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void bar(Graphics2D g, String label, double fraction, String value, int y, Color color) {
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
