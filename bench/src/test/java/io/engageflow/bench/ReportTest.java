package io.engageflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.engageflow.contracts.json.JsonCodec;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @Test
    void writesTheFiguresAsJsonHtmlAndPng(@TempDir Path dir) throws Exception {
        Histogram latency = new Histogram(3);
        for (int i = 1; i <= 100; i++) {
            latency.recordValue(i * 1000L); // 1 .. 100 ms, in microseconds
        }
        Map<String, double[]> processes = new LinkedHashMap<>();
        processes.put("orchestrator-service", new double[] {0.5, 400});
        processes.put("postgresql", new double[] {0.1, 900});
        Report report = new Report("engageflow", 2, 100, 200, 5, 200, 40.0, 200, latency, null, processes,
                new LinkedHashMap<>(Map.of("sent", 200)), List.of(new Tracker.Window(0, 120, 20.0, 90.0),
                        new Tracker.Window(10, 80, 60.0, 100.0)));

        report.write(dir);

        Map<String, Object> json = JsonCodec.toMap(Files.readString(dir.resolve("bench-report.json")));
        assertThat(json).containsEntry("completed", 200).containsEntry("instancesPerSecond", 5.0)
                .containsEntry("stepsPerSecond", 15.0).containsEntry("system", "engageflow")
                .containsEntry("warmup", 100).doesNotContainKey("instanceEndLatencyMs");
        // 0.5 cores for 40 s = 20 s of CPU over 600 steps; PostgreSQL 0.1 cores: 6.7 ms; 40 ms in all
        assertThat((Double) json.get("cpuMsPerStep")).isCloseTo(40.0, within(0.01));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> procs = (Map<String, Map<String, Object>>) json.get("processes");
        assertThat((Double) procs.get("orchestrator-service").get("cpuMsPerStep")).isCloseTo(33.33, within(0.01));
        @SuppressWarnings("unchecked")
        Map<String, Object> latencyMs = (Map<String, Object>) json.get("latencyMs");
        assertThat(latencyMs).containsOnlyKeys("p50", "p90", "p99", "p99.9", "pmax");
        assertThat((Double) latencyMs.get("p50")).isCloseTo(50.0, within(0.1)); // HdrHistogram: 3 digits
        assertThat((Double) latencyMs.get("pmax")).isCloseTo(100.0, within(0.1));
        assertThat(json.get("latencyBySendWindow")).isEqualTo(List.of(
                Map.of("fromSecond", 0, "count", 120, "p50Ms", 20.0, "p99Ms", 90.0),
                Map.of("fromSecond", 10, "count", 80, "p50Ms", 60.0, "p99Ms", 100.0)));
        assertThat(Files.readString(dir.resolve("bench-report.html"))).contains("<svg", "5 instances/s");
        BufferedImage png = ImageIO.read(dir.resolve("bench-report.png").toFile());
        assertThat(png.getWidth()).isEqualTo(760);
        // one row per percentile and per process: the picture grows with what it shows
        assertThat(png.getHeight()).isEqualTo(90 + 26 * 5 + 40 + 22 * 2);
        // the longest latency bar (max, full width) is drawn in the latency colour
        assertThat(png.getRGB(230 + 400, 62 + 4 * 26 + 9) & 0xffffff).isEqualTo(0x44aa77);
    }
}
