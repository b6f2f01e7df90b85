package io.engageflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.engageflow.contracts.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The cluster manifests parse and match the code: every topic, every service with probes, lag autoscaling. */
class DeployManifestsTest {
    private static final Path ROOT = Path.of(System.getProperty("engageflow.root", ".."));
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static List<JsonNode> documents(String file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(ROOT.resolve("deploy/k8s").resolve(file).toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(n -> {
                if (n != null && !n.isEmpty()) {
                    docs.add(n);
                }
            });
        }
        return docs;
    }

    private static List<JsonNode> all() throws IOException {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode r : documents("kustomization.yaml").get(0).get("resources")) {
            all.addAll(documents(r.asText()));
        }
        return all;
    }

    private static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    @Test
    void everyContractTopicHasAKafkaTopicOnTheStrimziCluster() throws Exception {
        List<String> topics = new ArrayList<>();
        for (Field f : Topics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                topics.add((String) f.get(null));
            }
        }
        List<JsonNode> docs = all();
        assertThat(ofKind(docs, "Kafka")).hasSize(1);
        List<JsonNode> kafkaTopics = ofKind(docs, "KafkaTopic");
        assertThat(kafkaTopics.stream().map(t -> t.at("/spec/topicName").asText()).toList())
                .containsExactlyInAnyOrderElementsOf(topics);
        assertThat(kafkaTopics).allSatisfy(t -> {
            assertThat(t.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo("engageflow");
            assertThat(t.at("/spec/partitions").asInt()).isGreaterThanOrEqualTo(3);
        });
        assertThat(ofKind(docs, "Cluster")).singleElement()
                .satisfies(c -> assertThat(c.path("apiVersion").asText()).startsWith("postgresql.cnpg.io"));
    }

    @Test
    void everyServiceIsDeployedWithHealthProbesAndActionServicesScaleOnTheirConsumerLag() throws Exception {
        List<JsonNode> docs = all();
        List<JsonNode> deployments = ofKind(docs, "Deployment");
        assertThat(deployments.stream().map(d -> d.at("/metadata/name").asText()).toList())
                .containsExactlyInAnyOrderElementsOf(Mesh.SERVICES);
        for (JsonNode d : deployments) {
            JsonNode container = d.at("/spec/template/spec/containers/0");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
            String port = properties(d.at("/metadata/name").asText()).getProperty("quarkus.http.port");
            assertThat(container.at("/ports/0/containerPort").asText()).isEqualTo(port);
        }
        assertThat(ofKind(docs, "Service")).hasSize(Mesh.SERVICES.size());
        List<JsonNode> scalers = ofKind(docs, "ScaledObject");
        assertThat(scalers).hasSize(3);
        for (JsonNode s : scalers) {
            Properties props = properties(s.at("/spec/scaleTargetRef/name").asText());
            JsonNode trigger = s.at("/spec/triggers/0/metadata");
            assertThat(trigger.path("topic").asText()).isEqualTo(props.getProperty("mp.messaging.incoming.commands.topic"));
            assertThat(trigger.path("consumerGroup").asText())
                    .isEqualTo(props.getProperty("mp.messaging.incoming.commands.group.id"));
        }
    }

    private static Properties properties(String service) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(ROOT.resolve(service)
                .resolve("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p;
    }

}
