package io.engageflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.engageflow.contracts.Topics;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The cluster manifests parse and match the code: every topic, every service with probes, lag autoscaling, and Kafka
 * access: each service a KafkaUser whose ACLs are exactly what its code reads and writes, publishers write only
 * triggers.inbound.
 */
class DeployManifestsTest {
    private static final Path ROOT = Path.of(System.getProperty("engageflow.root", ".."));
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String KEDA_USER = "keda-lag-reader";
    private static final String API_KEYS = "auth.api-keys";
    private static final String API_KEYS_USED = "auth.api-keys.used";
    private static final String KEY_USAGE_GROUP = "orchestrator-key-usage";

    static List<JsonNode> documents(String file) throws IOException {
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

    static List<JsonNode> all() throws IOException {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode r : documents("kustomization.yaml").get(0).get("resources")) {
            all.addAll(documents(r.asText()));
        }
        return all;
    }

    static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
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
        topics.addAll(List.of(API_KEYS, API_KEYS_USED));
        List<JsonNode> docs = all();
        assertThat(ofKind(docs, "Kafka")).hasSize(1);
        List<JsonNode> kafkaTopics = ofKind(docs, "KafkaTopic");
        assertThat(kafkaTopics.stream().map(t -> t.at("/spec/topicName").asText()).toList())
                .containsExactlyInAnyOrderElementsOf(new TreeSet<>(topics));
        assertThat(kafkaTopics).allSatisfy(t -> {
            assertThat(t.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo("engageflow");
            if (!t.at("/spec/topicName").asText().equals(API_KEYS)) {
                assertThat(t.at("/spec/partitions").asInt()).isGreaterThanOrEqualTo(3);
            }
        });
        // every service reads all keys in one order from the start, and the latest record of each key stays
        JsonNode keys = kafkaTopics.stream().filter(t -> t.at("/spec/topicName").asText().equals(API_KEYS))
                .findFirst().orElseThrow();
        assertThat(keys.at("/spec/partitions").asInt()).isEqualTo(1);
        assertThat(keys.at("/spec/config/cleanup.policy").asText()).isEqualTo("compact");
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

    /**
     * Each service connects as a KafkaUser of its own name, and that user's ACLs are exactly what its code does:
     * Read on the topics its channels consume and on their consumer groups, Write on the topics it publishes to (its
     * outputs and the dead-letter topic of each topic it consumes) — nothing more, so a service whose credentials
     * leak reaches no other topic, and nothing less, so a new topic in the code without its ACL fails here.
     */
    @Test
    void eachServicesKafkaUserMayDoExactlyWhatItsCodeDoesOnKafka() throws Exception {
        List<JsonNode> docs = all();
        for (String service : Mesh.SERVICES) {
            ServiceKafkaUse use = ServiceKafkaUse.of(service);
            assertThat(use.reads()).as(service + " consumes").isNotEmpty();
            assertThat(use.writes()).as(service + " publishes").isNotEmpty();
            Set<String> expected = new TreeSet<>();
            use.reads().forEach(t -> expected.add("topic " + t + ": Read"));
            use.groups().forEach(g -> expected.add("group " + g + ": Read"));
            use.writes().forEach(t -> expected.add("topic " + t + ": Write"));
            assertThat(acls(kafkaUser(docs, service))).as(service + "'s ACLs")
                    .containsExactlyInAnyOrderElementsOf(expected);
            // API keys, as read from the code: every service reads the keys by assignment (no group) and reports
            // their use
            assertThat(use.reads()).as(service).contains(API_KEYS);
            assertThat(use.writes()).as(service).contains(API_KEYS_USED);
        }
        // the orchestrator owns the keys and keeps their lastUsedAt; no one else may change a key
        ServiceKafkaUse orchestrator = ServiceKafkaUse.of("orchestrator-service");
        assertThat(orchestrator.writes()).as("read from the code").contains(API_KEYS);
        assertThat(orchestrator.reads()).as("read from the code").contains(API_KEYS_USED);
        assertThat(orchestrator.groups()).as("read from the code").contains(KEY_USAGE_GROUP);
        for (String service : Mesh.SERVICES) {
            if (!service.equals("orchestrator-service")) {
                assertThat(ServiceKafkaUse.of(service).writes()).as(service).doesNotContain(API_KEYS);
            }
        }
        assertThat(ServiceKafkaUse.of("trigger-service").writes()).as("read from the code")
                .containsExactlyInAnyOrder("workflow.triggers", "triggers.rejected", "triggers.inbound.dlq",
                        API_KEYS_USED);
        assertThat(ServiceKafkaUse.of("orchestrator-service").writes()).as("read from the code")
                .contains("actions.reward.commands", "workflow.events", "actions.results.dlq");
        for (String service : Mesh.SERVICES) {
            // the kit's producer is the only one: every record a service publishes is an OutboundRecord
            String code = String.join("\n", ServiceKafkaUse.sources(service));
            assertThat(count(code, "new KafkaProducer<")).as(service).isEqualTo(1);
            assertThat(count(code, "new ProducerRecord<")).as(service).isEqualTo(1);
            // the record's own topic, key and value, with the publisher header and its trace context (if any)
            assertThat(code).contains("new ProducerRecord<>(r.topic(), null, r.key(), r.value(), headersOf(r))");
        }
    }

    /**
     * The broker's only listener authenticates with SCRAM-SHA-512 and authorizes by ACL, and every service's
     * Deployment reaches it as its own KafkaUser: JAAS line from the Secret the User Operator writes for that user,
     * the protocol the listener speaks, the cluster CA trusted over TLS.
     */
    @Test
    void everyClientAuthenticatesAsItsOwnKafkaUserOnTheOnlyListener() throws Exception {
        List<JsonNode> docs = all();
        JsonNode kafka = ofKind(docs, "Kafka").get(0).at("/spec");
        assertThat(kafka.at("/kafka/authorization/type").asText()).isEqualTo("simple");
        assertThat(kafka.at("/entityOperator").has("userOperator")).as("KafkaUsers need the User Operator").isTrue();
        JsonNode listeners = kafka.at("/kafka/listeners");
        assertThat(listeners).singleElement().satisfies(l ->
                assertThat(l.at("/authentication/type").asText()).isEqualTo("scram-sha-512"));
        JsonNode listener = listeners.get(0);
        boolean tls = listener.path("tls").asBoolean();
        for (JsonNode d : ofKind(docs, "Deployment")) {
            String service = d.at("/metadata/name").asText();
            JsonNode env = d.at("/spec/template/spec/containers/0/env");
            assertThat(value(env, "KAFKA_BOOTSTRAP_SERVERS")).as(service)
                    .isEqualTo("engageflow-kafka-bootstrap:" + listener.path("port").asInt());
            assertThat(value(env, "KAFKA_SECURITY_PROTOCOL")).as(service)
                    .isEqualTo(tls ? "SASL_SSL" : "SASL_PLAINTEXT");
            assertThat(value(env, "KAFKA_SASL_MECHANISM")).as(service).isEqualTo("SCRAM-SHA-512");
            assertThat(secret(env, "KAFKA_SASL_JAAS_CONFIG")).as(service).isEqualTo(service + "/sasl.jaas.config");
            assertThat(kafkaUser(docs, service).at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
            if (tls) {
                assertThat(value(env, "KAFKA_SSL_TRUSTSTORE_TYPE")).as(service).isEqualTo("PEM");
                assertThat(secret(env, "KAFKA_SSL_TRUSTSTORE_CERTIFICATES")).as(service)
                        .isEqualTo("engageflow-cluster-ca-cert/ca.crt");
            }
        }
        // the variables only work if the services read them: their application.properties map them to kafka.*
        for (String service : Mesh.SERVICES) {
            Properties p = properties(service);
            assertThat(p.getProperty("kafka.security.protocol")).isEqualTo("${KAFKA_SECURITY_PROTOCOL:PLAINTEXT}");
            assertThat(p.getProperty("kafka.sasl.mechanism")).startsWith("${KAFKA_SASL_MECHANISM:");
            assertThat(p.getProperty("kafka.sasl.jaas.config")).isEqualTo("${KAFKA_SASL_JAAS_CONFIG:}");
        }
    }

    /**
     * Every service gets the same operator key, from a Secret the cluster's operator makes (deploy/k8s/README.md): a
     * Secret in these manifests would be a key everyone who reads the repository knows.
     */
    @Test
    void everyServiceReadsTheOneOperatorKeyFromASecretThatIsInNoManifest() throws Exception {
        List<JsonNode> docs = all();
        for (JsonNode d : ofKind(docs, "Deployment")) {
            JsonNode env = d.at("/spec/template/spec/containers/0/env");
            assertThat(secret(env, "ENGAGEFLOW_OPERATOR_KEY")).as(d.at("/metadata/name").asText())
                    .isEqualTo("engageflow-operator-key/operator-key");
            assertThat(variable(env, "ENGAGEFLOW_OPERATOR_KEY").at("/valueFrom/secretKeyRef/optional").asBoolean())
                    .as("a service without the key would refuse every workspace's first key").isFalse();
        }
        assertThat(ofKind(docs, "Secret")).isEmpty();
        assertThat(documents("kustomization.yaml").get(0).has("secretGenerator")).isFalse();
    }

    /**
     * An upstream publisher may write triggers.inbound and nothing else; each publisher on trigger-service's
     * allow-list (the ConfigMap mounted as its config/application.properties) has such a user of the same name (the
     * action services, which publish platform events, are on it under their own users), and
     * every KafkaUser is a service, a publisher or KEDA's lag reader.
     */
    @Test
    void upstreamPublishersMayOnlyWriteTriggersInboundAndAreOnTriggerServicesAllowList() throws Exception {
        List<JsonNode> docs = all();
        JsonNode trigger = ofKind(docs, "Deployment").stream()
                .filter(d -> d.at("/metadata/name").asText().equals("trigger-service")).findFirst().orElseThrow();
        JsonNode pod = trigger.at("/spec/template/spec");
        JsonNode mount = pod.at("/containers/0/volumeMounts/0");
        assertThat(mount.path("mountPath").asText())
                .isEqualTo(pod.at("/containers/0/workingDir").asText() + "/config");
        String configMap = configMapOf(pod, mount.path("name").asText());
        Properties allowList = new Properties();
        allowList.load(new StringReader(ofKind(docs, "ConfigMap").stream()
                .filter(c -> c.at("/metadata/name").asText().equals(configMap)).findFirst().orElseThrow()
                .at("/data/application.properties").asText()));
        List<String> publishers = allowList.stringPropertyNames().stream()
                .map(k -> k.replaceFirst("^engageflow\\.triggers\\.publishers\\.(.+)\\.workspaces$", "$1"))
                .toList();
        assertThat(publishers).contains("upstream-publisher");
        for (String publisher : publishers) {
            if (Mesh.SERVICES.contains(publisher)) {
                // an action service publishing platform events: its own user, whose ACLs the test above derives
                assertThat(acls(kafkaUser(docs, publisher))).as(publisher).contains("topic triggers.inbound: Write");
            } else {
                assertThat(acls(kafkaUser(docs, publisher))).as(publisher)
                        .containsExactly("topic triggers.inbound: Write");
            }
        }
        List<String> users = ofKind(docs, "KafkaUser").stream().map(u -> u.at("/metadata/name").asText()).toList();
        List<String> known = new ArrayList<>(Mesh.SERVICES);
        publishers.stream().filter(p -> !Mesh.SERVICES.contains(p)).forEach(known::add);
        known.add(KEDA_USER);
        assertThat(users).containsExactlyInAnyOrderElementsOf(known);
    }

    /**
     * KEDA reads the action services' lag over the same listener as a user that may only Describe the scaled topics
     * and consumer groups: its TriggerAuthentication's password is the one that user is given.
     */
    @Test
    void kedaReadsLagAsAUserThatMayOnlyDescribeTheScaledTopicsAndGroups() throws Exception {
        List<JsonNode> docs = all();
        JsonNode listener = ofKind(docs, "Kafka").get(0).at("/spec/kafka/listeners/0");
        JsonNode keda = kafkaUser(docs, KEDA_USER);
        List<String> expected = new ArrayList<>();
        for (JsonNode s : ofKind(docs, "ScaledObject")) {
            JsonNode trigger = s.at("/spec/triggers/0");
            JsonNode metadata = trigger.path("metadata");
            assertThat(metadata.path("bootstrapServers").asText())
                    .isEqualTo("engageflow-kafka-bootstrap:" + listener.path("port").asInt());
            assertThat(metadata.path("sasl").asText()).isEqualTo("scram_sha512");
            assertThat(metadata.path("tls").asText())
                    .isEqualTo(listener.path("tls").asBoolean() ? "enable" : "disable");
            JsonNode auth = ofKind(docs, "TriggerAuthentication").stream().filter(a -> a.at("/metadata/name").asText()
                    .equals(trigger.at("/authenticationRef/name").asText())).findFirst().orElseThrow();
            Map<String, String> params = new HashMap<>();
            auth.at("/spec/secretTargetRef").forEach(r -> params.put(r.path("parameter").asText(),
                    r.path("name").asText() + "/" + r.path("key").asText()));
            JsonNode password = keda.at("/spec/authentication/password/valueFrom/secretKeyRef");
            assertThat(params).containsEntry("password", password.path("name").asText() + "/"
                    + password.path("key").asText());
            assertThat(params).containsKey("username");
            expected.add("topic " + metadata.path("topic").asText() + ": Describe");
            expected.add("group " + metadata.path("consumerGroup").asText() + ": Describe");
        }
        assertThat(acls(keda)).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static JsonNode kafkaUser(List<JsonNode> docs, String name) {
        List<JsonNode> users = ofKind(docs, "KafkaUser").stream()
                .filter(u -> u.at("/metadata/name").asText().equals(name)).toList();
        assertThat(users).as("KafkaUser " + name).singleElement().satisfies(u -> {
            assertThat(u.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo("engageflow");
            assertThat(u.at("/spec/authorization/type").asText()).isEqualTo("simple");
        });
        return users.get(0);
    }

    /** A user's ACLs as "type name: Operation", one per operation; each must be a literal allow for any host. */
    private static List<String> acls(JsonNode user) {
        List<String> acls = new ArrayList<>();
        for (JsonNode acl : user.at("/spec/authorization/acls")) {
            JsonNode resource = acl.path("resource");
            assertThat(acl.path("type").asText("allow")).isEqualTo("allow");
            assertThat(acl.path("host").asText("*")).isEqualTo("*");
            assertThat(resource.path("patternType").asText("literal")).as(resource.toString()).isEqualTo("literal");
            for (JsonNode op : acl.path("operations")) {
                acls.add(resource.path("type").asText() + " " + resource.path("name").asText() + ": " + op.asText());
            }
        }
        return acls;
    }

    /** The ConfigMap a pod mounts as the volume of that name. */
    private static String configMapOf(JsonNode pod, String volume) {
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asText().equals(volume)) {
                return v.at("/configMap/name").asText();
            }
        }
        throw new AssertionError("no volume " + volume + " in " + pod);
    }

    private static String value(JsonNode env, String name) {
        return variable(env, name).path("value").asText(null);
    }

    /** "secret/key" of a variable taken from a Secret. */
    static String secret(JsonNode env, String name) {
        JsonNode ref = variable(env, name).at("/valueFrom/secretKeyRef");
        return ref.path("name").asText() + "/" + ref.path("key").asText();
    }

    static JsonNode variable(JsonNode env, String name) {
        for (JsonNode v : env) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no variable " + name + " in " + env);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static Properties properties(String service) {
        return ServiceKafkaUse.properties(service);
    }
}
