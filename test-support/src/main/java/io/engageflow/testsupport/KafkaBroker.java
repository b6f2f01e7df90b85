package io.engageflow.testsupport;

import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker (KRaft, one combined broker+controller) inside the test JVM, started once per JVM and shared
 * by every test class: no Docker needed. Set {@code KAFKA_BOOTSTRAP_SERVERS} to use an external broker instead.
 */
public final class KafkaBroker {
    private static final String STARTED_PROPERTY = "engageflow.test.kafka.bootstrap";
    private static KafkaClusterTestKit cluster;
    private static String bootstrap;

    private KafkaBroker() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrap != null) {
            return bootstrap;
        }
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null && !external.isBlank()) {
            bootstrap = external;
            return bootstrap;
        }
        // a test profile restarts the app in a new class loader, where this class's statics start empty: the
        // broker of this JVM is found through a system property, which every class loader shares
        String started = System.getProperty(STARTED_PROPERTY);
        if (started != null) {
            bootstrap = started;
            return bootstrap;
        }
        try {
            // data under target/ (mvn clean removes it); the broker is not closed at JVM exit: closing it in a
            // shutdown hook races the test JVM's own shutdown and Kafka may then halt the JVM with a non-zero code
            java.nio.file.Path dir = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target",
                    "kafka-test-" + ProcessHandle.current().pid()));
            cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                    .setNumBrokerNodes(1).setNumControllerNodes(1).setBaseDirectory(dir).build())
                    .setDeleteOnClose(false)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.partitions", "6")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            bootstrap = cluster.bootstrapServers();
            System.setProperty(STARTED_PROPERTY, bootstrap);
            return bootstrap;
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-JVM Kafka broker", e);
        }
    }

    public static Map<String, String> quarkusConfig() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }
}
