package io.engageflow.bench;

import io.engageflow.contracts.json.JsonCodec;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * bench/compare.sh's last step: one table from the bench-report.json (and bench-find-max.json, if any) of each
 * system's run, printed and written as compare.json and compare.png.
 *
 * <pre>Compare OUT_DIR NAME=REPORT_DIR…</pre>
 */
public final class Compare {
    private final Map<String, Map<String, Object>> reports;
    private final Map<String, Map<String, Object>> findMax;

    Compare(Map<String, Map<String, Object>> reports, Map<String, Map<String, Object>> findMax) {
        this.reports = reports;
        this.findMax = findMax;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: Compare OUT_DIR NAME=REPORT_DIR...");
            System.exit(2);
        }
        Map<String, Map<String, Object>> reports = new LinkedHashMap<>();
        Map<String, Map<String, Object>> findMax = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] nameDir = args[i].split("=", 2);
            Path dir = Path.of(nameDir[1]);
            Path report = dir.resolve("bench-report.json");
            if (!Files.exists(report)) {
                System.err.println(nameDir[0] + ": no " + report + " (its run failed; see above)");
                continue;
            }
            reports.put(nameDir[0], JsonCodec.toMap(Files.readString(report)));
            Path max = dir.resolve("bench-find-max.json");
            if (Files.exists(max)) {
                findMax.put(nameDir[0], JsonCodec.toMap(Files.readString(max)));
            }
        }
        Compare compare = new Compare(reports, findMax);
        System.out.println(compare.text());
        compare.write(Path.of(args[0]));
    }

    /** Rows of the table: a label, then one cell per system. */
    List<List<String>> table() {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("figure"));
        header.addAll(reports.keySet());
        rows.add(header);
        row(rows, "offered (after warm-up)", r -> String.format("%d at %d/s (+%d)", num(r, "offered").intValue(),
                num(r, "ratePerSecond").intValue(), num(r, "warmup").intValue()));
        row(rows, "completed / webhooks", r -> num(r, "completed").intValue() + " / "
                + num(r, "webhooksReceived").intValue());
        row(rows, "coupons / triggers, all phases", r -> {
            Map<String, Object> checks = map(r, "checks");
            Object coupons = checks.get("couponsAllPhases");
            return (coupons == null || ((Number) coupons).longValue() < 0 ? "-" : coupons) + " / "
                    + checks.getOrDefault("triggersSentAllPhases", "-");
        });
        row(rows, "instances/s", r -> String.format("%.1f", num(r, "instancesPerSecond").doubleValue()));
        row(rows, "steps/s", r -> String.format("%.1f", num(r, "stepsPerSecond").doubleValue()));
        row(rows, "p50 / p90 / p99 ms, send -> webhook", r -> percentiles(map(r, "latencyMs")));
        row(rows, "p50 / p90 / p99 ms, send -> instance end", r -> r.containsKey("instanceEndLatencyMs")
                ? percentiles(map(r, "instanceEndLatencyMs")) : "-");
        if (!findMax.isEmpty()) {
            List<String> knee = new ArrayList<>(List.of("knee (find-max), instances/s"));
            for (String name : reports.keySet()) {
                Map<String, Object> m = findMax.get(name);
                knee.add(m == null || m.get("knee") == null ? "-" : m.get("knee") + (Boolean.TRUE.equals(
                        m.get("capped")) ? "+" : "") + " (p99 <= " + num(m, "p99BoundMs").intValue() + " ms)");
            }
            rows.add(knee);
        }
        row(rows, "CPU ms per step, all processes", r -> String.format("%.2f", num(r, "cpuMsPerStep").doubleValue()));
        Set<String> processes = new LinkedHashSet<>();
        reports.values().forEach(r -> processes.addAll(map(r, "processes").keySet()));
        for (String process : processes) {
            row(rows, "  " + process, r -> {
                Object p = map(r, "processes").get(process);
                if (p == null) {
                    return "";
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> usage = (Map<String, Object>) p;
                return String.format("%.2f", num(usage, "cpuMsPerStep").doubleValue());
            });
        }
        return rows;
    }

    private void row(List<List<String>> rows, String label, Function<Map<String, Object>, String> cell) {
        List<String> row = new ArrayList<>(List.of(label));
        reports.values().forEach(r -> row.add(cell.apply(r)));
        rows.add(row);
    }

    String text() {
        List<List<String>> rows = table();
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                out.append(i == 0 ? String.format("%-" + widths[i] + "s", cell)
                        : String.format("  %" + widths[i] + "s", cell));
            }
            out.append('\n');
        }
        return out.toString();
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("table", table());
        json.put("reports", reports);
        if (!findMax.isEmpty()) {
            json.put("findMax", findMax);
        }
        Files.writeString(dir.resolve("compare.json"), JsonCodec.encode(json));
        Files.writeString(dir.resolve("compare.txt"), text());
        writePng(dir.resolve("compare.png"));
    }

    private static final Color[] COLORS = {new Color(0x44, 0xaa, 0x77), new Color(0x44, 0x77, 0xaa),
        new Color(0xcc, 0x88, 0x33), new Color(0x99, 0x55, 0xaa)};

    /** Per figure, one bar per system (each figure scaled to its largest value). */
    void writePng(Path file) throws IOException {
        List<String[]> figures = List.of(new String[] {"instances/s", "instancesPerSecond"},
                new String[] {"p50 ms, send -> webhook", "latencyMs.p50"},
                new String[] {"p99 ms, send -> webhook", "latencyMs.p99"},
                new String[] {"CPU ms per step, all processes", "cpuMsPerStep"});
        int width = 760;
        int height = 50 + figures.size() * (30 + 22 * reports.size()) + 10;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Report.canvas(image);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        Map<String, Object> any = reports.values().stream().findFirst().orElse(Map.of());
        g.drawString(String.format("bench workflow, %s triggers at %s/s, one run each, same machine",
                any.getOrDefault("offered", "?"), any.getOrDefault("ratePerSecond", "?")), 10, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int y = 50;
        for (String[] figure : figures) {
            g.setColor(Color.BLACK);
            g.drawString(figure[0], 10, y + 14);
            y += 24;
            double max = reports.values().stream().mapToDouble(r -> value(r, figure[1])).max().orElse(1);
            int i = 0;
            for (Map.Entry<String, Map<String, Object>> e : reports.entrySet()) {
                double v = value(e.getValue(), figure[1]);
                Report.bar(g, "  " + e.getKey(), max <= 0 ? 0 : v / max, String.format("%.1f", v), y,
                        COLORS[i++ % COLORS.length]);
                y += 22;
            }
            y += 6;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static double value(Map<String, Object> report, String path) {
        Object v = report;
        for (String key : path.split("\\.")) {
            v = v instanceof Map<?, ?> m ? m.get(key) : null;
        }
        return v instanceof Number n ? n.doubleValue() : 0;
    }

    private static String percentiles(Map<String, Object> ms) {
        return String.format("%.1f / %.1f / %.1f", num(ms, "p50").doubleValue(), num(ms, "p90").doubleValue(),
                num(ms, "p99").doubleValue());
    }

    private static Number num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n : 0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Map<?, ?> ? (Map<String, Object>) v : Map.of();
    }
}
