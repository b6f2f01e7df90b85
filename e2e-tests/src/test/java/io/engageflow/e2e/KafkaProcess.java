package io.engageflow.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker (KRaft, single combined node) as its own process, from the kafka_2.13 jars on the test
 * classpath, so a test can SIGKILL it and start it again on the same port and data directory — what a broker crash
 * and restart look like to the services. (The in-JVM broker of test-support cannot be killed that way.)
 */
final class KafkaProcess implements AutoCloseable {
    private final Path dir;
    private final Path config;
    private final Path log;
    private final int port = Mesh.freePort();
    private Process process;

    KafkaProcess(Path dir, int partitions) throws IOException, InterruptedException {
        this.dir = dir.toAbsolutePath();
        this.config = this.dir.resolve("server.properties");
        this.log = this.dir.resolve("kafka.log");
        deleteRecursively(this.dir);
        Files.createDirectories(this.dir);
        int controllerPort = Mesh.freePort();
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + this.dir.resolve("data"),
                "num.partitions=" + partitions,
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true", ""));
        Process format = java("kafka.tools.StorageTool", "format", "--standalone",
                "-t", Uuid.randomUuid().toString(), "-c", config.toString());
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException("formatting the Kafka log dir failed; see " + log);
        }
        start();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts (or restarts, after {@link #kill()}) the broker on the same port and data, and waits until it serves. */
    void start() throws IOException {
        process = java("kafka.Kafka", config.toString());
        long until = System.currentTimeMillis() + 90_000;
        while (!serving()) {
            if (System.currentTimeMillis() > until || !process.isAlive()) {
                throw new IllegalStateException("the Kafka broker did not start; see " + log);
            }
            Mesh.sleep(500);
        }
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no controlled shutdown, the log is recovered on the next start. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    private boolean serving() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3000))) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private Process java(String mainClass, String... args) throws IOException {
        // Surefire puts the test classpath (which holds kafka_2.13 through test-support) in java.class.path
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        File out = log.toFile();
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out))
                .start();
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (Files.exists(path)) {
            try (var walk = Files.walk(path)) {
                walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
