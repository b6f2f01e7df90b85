package io.engageflow.e2e;

import io.engageflow.testsupport.KafkaBroker;
import io.engageflow.testsupport.PostgresDatabases;
import io.engageflow.testsupport.TestKeys;
import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The five packaged services as separate processes (their target/quarkus-app), on the real Kafka broker and fresh
 * PostgreSQL databases, each on a free port. Logs go to e2e-tests/target/mesh-logs. Every service has the test
 * operator key, and RestAssured sends it on every request that names no key of its own ({@link TestKeys}).
 */
final class Mesh implements AutoCloseable {
    /** Fresh databases per mesh, so a fresh key for connected-app secrets. */
    private final String secretKey = newSecretKey();

    private static String newSecretKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    static final List<String> SERVICES = List.of("trigger-service", "orchestrator-service",
            "contact-actions-service", "reward-actions-service", "integration-actions-service");

    private final Path root = Path.of(System.getProperty("engageflow.root", "..")).toAbsolutePath().normalize();
    private final Path logs = root.resolve("e2e-tests/target/mesh-logs");
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final String kafka;
    private final int smtpPort;
    private final Map<String, Map<String, String>> serviceProperties;

    /** The mesh on the shared in-JVM broker of test-support. */
    Mesh(int smtpPort) throws IOException {
        this(smtpPort, KafkaBroker.bootstrapServers());
    }

    Mesh(int smtpPort, String kafkaBootstrapServers) throws IOException {
        this(smtpPort, kafkaBootstrapServers, Map.of());
    }

    /**
     * With {@code serviceProperties}: per service, the system properties it gets besides the mesh's own (a peer
     * such as the SMS provider: {@code engageflow.sms.*} of contact-actions-service); {@code {url:<service>}} in a
     * value is that service's URL in this mesh.
     */
    Mesh(int smtpPort, String kafkaBootstrapServers, Map<String, Map<String, String>> serviceProperties)
            throws IOException {
        this.smtpPort = smtpPort;
        this.kafka = kafkaBootstrapServers;
        this.serviceProperties = serviceProperties;
        Files.createDirectories(logs);
        TestKeys.sendOperatorKeyByDefault();
        // every port first: a service's properties may name another's URL ({url:<service>})
        for (String service : SERVICES) {
            PostgresDatabases.recreate(database(service));
            ports.put(service, freePort());
        }
        for (String service : SERVICES) {
            start(service, service, ports.get(service));
        }
        for (String service : SERVICES) {
            awaitReady(service, ports.get(service));
        }
    }

    /** The database a service of the mesh owns (fresh for each mesh). */
    static String database(String service) {
        return "engageflow_e2e_" + service.replace("-actions-service", "").replace("-service", "");
    }

    /** Starts a process of a service; {@code name} tells replicas apart (logs, kill). */
    private void start(String name, String service, int port) throws IOException {
        Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw verify does)");
        }
        String db = database(service);
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx256m",
                "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + kafka,
                "-Dquarkus.datasource.jdbc.url=" + PostgresDatabases.jdbcUrl(db),
                "-Dquarkus.datasource.reactive.url=postgresql://" + PostgresDatabases.HOST + ":"
                        + PostgresDatabases.PORT + "/" + PostgresDatabases.name(db),
                "-Dquarkus.datasource.username=" + PostgresDatabases.USER,
                // a fast clock keeps timer-driven paths quick to observe
                "-Dengageflow.orchestrator.clock-tick=0.5s",
                // a SIGKILLed consumer keeps its partitions until its session times out (45 s by default): 10 s
                // keeps the crash tests short; heartbeats every 3 s still tolerate a loaded machine
                "-Dkafka.session.timeout.ms=10000",
                "-Dkafka.heartbeat.interval.ms=3000",
                "-Dengageflow.http-request.allowed-hosts=127.0.0.1"));
        if (service.equals("contact-actions-service")) {
            cmd.add("-Dquarkus.mailer.port=" + smtpPort);
        }
        serviceProperties.getOrDefault(service, Map.of()).forEach((key, value) -> cmd.add("-D" + key + "="
                + withUrls(value)));
        cmd.addAll(List.of("-jar", jar.toString()));
        File log = logs.resolve(name + ".log").toFile();
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        // the packaged integration service refuses the built-in development key for connected-app secrets
        builder.environment().put("ENGAGEFLOW_INTEGRATION_SECRET_KEY", secretKey);
        builder.environment().put("ENGAGEFLOW_OPERATOR_KEY", TestKeys.OPERATOR_KEY);
        processes.put(name, builder.start());
    }

    private void awaitReady(String name, int port) {
        // five JVMs starting at once on two loaded cores can take two minutes
        long until = System.currentTimeMillis() + 180_000;
        while (!ready(port)) {
            if (System.currentTimeMillis() > until || !processes.get(name).isAlive()) {
                close();
                throw new IllegalStateException(name + " did not become ready; see " + logs);
            }
            sleep(250);
        }
    }

    /** Kills a service's process the hard way (SIGKILL): no shutdown hooks, in-flight work is cut off. */
    void kill(String name) throws InterruptedException {
        Process p = processes.get(name);
        p.destroyForcibly();
        p.waitFor();
    }

    /**
     * Stops a process the way an orchestrator scales it in (SIGTERM, then SIGKILL after 15 s): its consumers leave
     * their groups, so the others take its partitions at once. A replica is forgotten; a service can be restarted.
     */
    void stop(String name) {
        Process p = processes.get(name);
        if (p != null) {
            stop(p);
        }
        if (!SERVICES.contains(name)) {
            processes.remove(name);
            ports.remove(name);
        }
    }

    boolean isRunning(String name) {
        Process p = processes.get(name);
        return p != null && p.isAlive();
    }

    /** The names of the processes that are running: services and replicas. */
    List<String> running() {
        return processes.keySet().stream().filter(this::isRunning).toList();
    }

    /**
     * Back to the five services and nothing else, whatever a test left behind (it failed half-way): replicas are
     * stopped, a killed service is started again.
     */
    void restoreBaseState() throws IOException {
        for (String name : List.copyOf(processes.keySet())) {
            if (!SERVICES.contains(name)) {
                stop(name);
            }
        }
        for (String service : SERVICES) {
            if (!isRunning(service)) {
                restart(service);
            }
        }
    }

    /** Starts a killed service again on its port and waits until it is ready. */
    void restart(String service) throws IOException {
        start(service, service, ports.get(service));
        awaitReady(service, ports.get(service));
    }

    /** Starts one more replica of a service (same database and consumer group); returns its port. */
    int addReplica(String service, String name) throws IOException {
        int port = freePort();
        ports.put(name, port);
        start(name, service, port);
        awaitReady(name, port);
        return port;
    }

    /** {@code value} with each {@code {url:<service>}} replaced by that service's URL in this mesh. */
    private String withUrls(String value) {
        String resolved = value;
        for (String service : SERVICES) {
            resolved = resolved.replace("{url:" + service + "}", url(service));
        }
        return resolved;
    }

    String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    @Override
    public void close() {
        processes.values().forEach(Process::destroy);
        processes.values().forEach(Mesh::stop);
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static boolean ready(int port) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/q/health/ready")
                    .toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
