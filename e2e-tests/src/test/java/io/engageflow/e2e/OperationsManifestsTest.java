package io.engageflow.e2e;

import static io.engageflow.e2e.DeployManifestsTest.all;
import static io.engageflow.e2e.DeployManifestsTest.ofKind;
import static io.engageflow.e2e.DeployManifestsTest.secret;
import static io.engageflow.e2e.DeployManifestsTest.variable;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operations manifests (monitoring.yaml, disruption-budgets.yaml, network-policies.yaml, ingress.yaml) hold
 * against the code: every metric and label an alert or the dashboard uses is one a service registers, every service
 * is scraped, kept up under disruption and fenced in, only the services reach PostgreSQL and Kafka, only /api is
 * reachable from outside, and the keys come from Secrets that are in no manifest.
 */
class OperationsManifestsTest {
    private static final Path ROOT = Path.of(System.getProperty("engageflow.root", ".."));
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Labels Prometheus adds to every series it scrapes through a ServiceMonitor. */
    private static final Set<String> TARGET_LABELS =
            Set.of("job", "namespace", "pod", "service", "instance", "endpoint", "container");
    /**
     * Metrics the services get from their libraries rather than register themselves, with their labels:
     * <ul>
     *   <li>{@code kafka_consumer_fetch_manager_records_lag}: Micrometer's KafkaClientMetrics, which Quarkus's Kafka
     *       binder (quarkus.micrometer.binder.kafka.enabled, on by default) binds to every consumer the SmallRye
     *       connector creates (its Consumer CDI event): Kafka's records-lag per assigned partition. service-common's
     *       ConsumerGroupTag puts the group label (added below, from the code) in place of client_id;</li>
     *   <li>{@code http_server_requests_seconds_*}: Quarkus's HTTP server binder (a Timer per method, uri, status);</li>
     *   <li>{@code kafka_consumergroup_*}: Strimzi's Kafka Exporter (kafka.yaml), the broker's view of each group.</li>
     * </ul>
     */
    private static final Map<String, Set<String>> LIBRARY_METRICS = Map.of(
            "kafka_consumer_fetch_manager_records_lag", Set.of("topic", "partition", "kafka_version"),
            "http_server_requests_seconds_count", Set.of("method", "uri", "status", "outcome"),
            "http_server_requests_seconds_sum", Set.of("method", "uri", "status", "outcome"),
            "kafka_consumergroup_lag", Set.of("consumergroup", "topic", "partition"),
            "kafka_consumergroup_current_offset", Set.of("consumergroup", "topic", "partition"));
    private static final Pattern METER = Pattern.compile("\\b(counter|summary|timer|gauge|Counter\\.builder|"
            + "FunctionCounter\\.builder|Gauge\\.builder|Timer\\.builder|DistributionSummary\\.builder)"
            + "\\(\\s*\"([a-z0-9_.]+)\"");
    private static final Pattern METRIC_USE = Pattern.compile("\\b((?:engageflow|kafka|http)_[a-z0-9_]+)\\b");
    private static final Pattern SELECTOR = Pattern.compile("\\b([a-z][a-z0-9_]*)\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-z_]+)\\s*(?:=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern BY = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");

    /** Every metric the services register, in Prometheus form, with the label names the code gives it. */
    private static Map<String, Set<String>> codeMetrics() throws Exception {
        Map<String, Set<String>> metrics = new TreeMap<>();
        for (String service : Mesh.SERVICES) {
            for (String source : ServiceKafkaUse.sources(service)) {
                Matcher m = METER.matcher(source);
                while (m.find()) {
                    String statement = source.substring(m.start(), statementEnd(source, m.end()));
                    Set<String> tags = tagKeys(m.group(1), statement);
                    for (String name : prometheusNames(m.group(1), m.group(2), statement)) {
                        metrics.computeIfAbsent(name, k -> new TreeSet<>()).addAll(tags);
                        if (name.endsWith("_bucket")) { // a histogram's buckets: Prometheus's upper bound label
                            metrics.get(name).add("le");
                        }
                    }
                }
            }
        }
        LIBRARY_METRICS.forEach((name, labels) -> metrics.put(name, new TreeSet<>(labels)));
        metrics.get("kafka_consumer_fetch_manager_records_lag").add(consumerGroupTag());
        return metrics;
    }

    /** The label ConsumerGroupTag adds, read from its source. */
    private static String consumerGroupTag() throws Exception {
        String source = Files.readString(ROOT.resolve(
                "service-common/src/main/java/io/engageflow/common/metrics/ConsumerGroupTag.java"));
        Matcher m = Pattern.compile("String TAG = \"([a-z_]+)\"").matcher(source);
        assertThat(m.find()).as("ConsumerGroupTag.TAG").isTrue();
        return m.group(1);
    }

    private static int statementEnd(String source, int from) {
        int end = source.indexOf(';', from);
        return end < 0 ? source.length() : end;
    }

    /** Micrometer's Prometheus names: dots to underscores, counters _total, timers in seconds, summaries in parts. */
    private static List<String> prometheusNames(String kind, String name, String statement) {
        String base = name.replace('.', '_');
        String k = kind.toLowerCase(Locale.ROOT);
        if (k.contains("counter")) {
            return List.of(base + "_total");
        } else if (k.contains("gauge")) {
            return List.of(base);
        } else if (k.contains("timer")) {
            List<String> names = new ArrayList<>(List.of(base + "_seconds_count", base + "_seconds_sum",
                    base + "_seconds_max"));
            if (statement.contains("publishPercentileHistogram") || statement.contains("serviceLevelObjectives")) {
                names.add(base + "_seconds_bucket");
            }
            return names;
        }
        return List.of(base + "_count", base + "_sum", base + "_max");
    }

    /** Tag keys: the string literals at odd places of a shortcut's arguments, or a builder's .tag("key", …). */
    private static Set<String> tagKeys(String kind, String statement) {
        Set<String> keys = new TreeSet<>();
        if (kind.contains(".builder")) {
            Matcher t = Pattern.compile("\\.tag\\(\\s*\"([a-z0-9_.]+)\"").matcher(statement);
            while (t.find()) {
                keys.add(t.group(1).replace('.', '_'));
            }
            return keys;
        }
        List<String> args = arguments(statement, statement.indexOf('(') + 1);
        for (int i = 1; i < args.size(); i += 2) {
            String a = args.get(i).strip();
            if (a.startsWith("\"") && a.endsWith("\"")) {
                keys.add(a.substring(1, a.length() - 1).replace('.', '_'));
            }
        }
        return keys;
    }

    /** The top-level, comma-separated arguments of the call whose '(' is just before {@code from}. */
    private static List<String> arguments(String text, int from) {
        List<String> args = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth-- == 0) {
                args.add(text.substring(start, i));
                return args;
            } else if (c == ',' && depth == 0) {
                args.add(text.substring(start, i));
                start = i + 1;
            }
        }
        return args;
    }

    /**
     * Checks one PromQL expression: every metric is registered by the code (or listed above as a library's), every
     * label it selects on or aggregates by is one those metrics (or the scrape) have; returns the labels the result
     * keeps (of the outermost by, or all), for legends and annotations.
     */
    private static Set<String> checkExpression(String expr, Map<String, Set<String>> metrics) {
        Set<String> used = new LinkedHashSet<>();
        Matcher m = METRIC_USE.matcher(expr);
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(used).as("metrics of " + expr).isNotEmpty();
        assertThat(metrics.keySet()).as("metrics registered by the code, for " + expr).containsAll(used);
        Set<String> available = new TreeSet<>(TARGET_LABELS);
        used.forEach(u -> available.addAll(metrics.get(u)));
        Matcher s = SELECTOR.matcher(expr);
        while (s.find()) {
            Matcher l = MATCHER.matcher(s.group(2));
            while (l.find()) {
                assertThat(metrics.get(s.group(1))).as("labels of " + s.group(1) + " in " + expr)
                        .contains(l.group(1));
            }
        }
        Set<String> kept = new TreeSet<>(available);
        Matcher by = BY.matcher(expr);
        while (by.find()) {
            Set<String> labels = new TreeSet<>();
            for (String label : by.group(1).split(",")) {
                labels.add(label.strip());
            }
            assertThat(available).as("labels aggregated by in " + expr).containsAll(labels);
            kept.retainAll(labels);
        }
        return kept;
    }

    private static Set<String> templateLabels(String text, Pattern pattern) {
        Set<String> labels = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            labels.add(m.group(1));
        }
        return labels;
    }

    @Test
    void everyAlertUsesMetricsAndLabelsTheServicesRegisterAndTheStatusesTheOrchestratorReports() throws Exception {
        Map<String, Set<String>> metrics = codeMetrics();
        List<JsonNode> rules = ofKind(all(), "PrometheusRule");
        assertThat(rules).hasSize(1);
        Map<String, String> alerts = new TreeMap<>();
        for (JsonNode group : rules.get(0).at("/spec/groups")) {
            for (JsonNode rule : group.path("rules")) {
                String expr = rule.path("expr").asText();
                alerts.put(rule.path("alert").asText(), expr);
                Set<String> kept = checkExpression(expr, metrics);
                String annotations = rule.path("annotations").toString();
                assertThat(kept).as("labels the annotations of " + rule.path("alert").asText() + " use")
                        .containsAll(templateLabels(annotations, Pattern.compile("\\$labels\\.([a-z_]+)")));
                assertThat(rule.at("/labels/severity").asText()).isIn("warning", "critical");
            }
        }
        // the alerts of issue 16; every latency histogram needs its p99 alert
        assertThat(alerts.keySet()).contains("EngageflowConsumerLagGrowing", "EngageflowConsumerGroupStalled",
                "EngageflowDeadLetter",
                "EngageflowFailedInstanceRatio", "EngageflowOutboxBacklog", "EngageflowStepLatencyHigh");
        // the step latency histogram of the action services (action-runtime), per action and path
        assertThat(metrics.get("engageflow_commands_duration_seconds_bucket")).as("the step latency histogram")
                .contains("action", "path", "le");
        assertThat(alerts.get("EngageflowStepLatencyHigh"))
                .contains("histogram_quantile(0.99", "engageflow_commands_duration_seconds_bucket", "action");
        for (String histogram : metrics.keySet().stream().filter(n -> n.endsWith("_bucket")).toList()) {
            assertThat(alerts.values()).as("a latency histogram needs its p99 alert (issue 16): " + histogram)
                    .anyMatch(expr -> expr.contains("histogram_quantile(0.99") && expr.contains(histogram));
        }
        assertThat(alerts.get("EngageflowConsumerLagGrowing")).contains("kafka_consumer_fetch_manager_records_lag")
                .contains("partition").contains("group");
        assertThat(alerts.get("EngageflowDeadLetter")).contains("engageflow_dead_letters_total");
        // the stalled-group alert watches exactly the services' consumer groups, from the broker's exporter
        Set<String> groups = new TreeSet<>();
        for (String service : Mesh.SERVICES) {
            groups.addAll(ServiceKafkaUse.of(service).groups());
        }
        Matcher watched = Pattern.compile("consumergroup=~\"([^\"]+)\"")
                .matcher(alerts.get("EngageflowConsumerGroupStalled"));
        while (watched.find()) {
            assertThat(watched.group(1).split("\\|")).containsExactlyInAnyOrderElementsOf(groups);
        }
        List<JsonNode> docs = all();
        String kafka = ofKind(docs, "Kafka").get(0).at("/metadata/name").asText();
        assertThat(ofKind(docs, "Kafka").get(0).at("/spec/kafkaExporter/groupRegex").asText()).isEqualTo(".*");
        assertThat(ofKind(docs, "PodMonitor")).singleElement().satisfies(m -> assertThat(
                m.at("/spec/selector/matchLabels/strimzi.io~1name").asText()).isEqualTo(kafka + "-kafka-exporter"));
        assertThat(alerts.get("EngageflowOutboxBacklog")).contains("engageflow_outbox_backlog");
        // the failed ratio selects a status the orchestrator really reports (RunStatus, lower case on the wire)
        String statuses = String.join("\n", ServiceKafkaUse.sources("orchestrator-service"));
        Matcher e = Pattern.compile("enum RunStatus \\{\\s*([A-Z, ]+);").matcher(statuses);
        assertThat(e.find()).isTrue();
        Set<String> reported = new TreeSet<>();
        for (String s : e.group(1).split(",")) {
            reported.add(s.strip().toLowerCase(Locale.ROOT));
        }
        Matcher status = Pattern.compile("status=\"([a-z]+)\"").matcher(alerts.get("EngageflowFailedInstanceRatio"));
        assertThat(status.find()).isTrue();
        assertThat(reported).contains(status.group(1));
    }

    @Test
    void theDashboardShowsThroughputLatencyLagAndDeadLettersFromMetricsTheServicesRegister() throws Exception {
        Map<String, Set<String>> metrics = codeMetrics();
        JsonNode map = ofKind(all(), "ConfigMap").stream()
                .filter(c -> c.at("/metadata/labels/grafana_dashboard").isTextual()).findFirst().orElseThrow();
        JsonNode dashboard = JSON.readTree(map.at("/data/engageflow.json").asText());
        Set<String> shown = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                Set<String> kept = checkExpression(expr, metrics);
                assertThat(kept).as("legend of " + expr).containsAll(templateLabels(
                        target.path("legendFormat").asText(), Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}")));
                Matcher m = METRIC_USE.matcher(expr);
                while (m.find()) {
                    shown.add(m.group(1));
                }
            }
        }
        assertThat(shown).contains("engageflow_triggers_total", "engageflow_instances_ended_total",
                "engageflow_commands_total", "kafka_consumer_fetch_manager_records_lag",
                "engageflow_dead_letters_total", "http_server_requests_seconds_sum", "engageflow_outbox_backlog");
        // per-action paths: the commands counter is shown by its action and path labels
        assertThat(dashboard.toString()).contains("sum by (action, path) (rate(engageflow_commands_total[5m]))");
        // step latency per action and per action and path, from the histogram
        assertThat(dashboard.toString()).contains(
                "histogram_quantile(0.99, sum by (action, le) (rate(engageflow_commands_duration_seconds_bucket[5m])))",
                "histogram_quantile(0.99, sum by (action, path, le) (rate(engageflow_commands_duration_seconds_bucket[5m])))");
    }

    /**
     * The lag alert needs the Kafka binder on and the connector's own client ids (ConsumerGroupTag finds a channel's
     * group from them): no service turns either off.
     */
    @Test
    void theConsumerLagMetricsTheAlertsUseAreLeftOnInEveryService() {
        for (String service : Mesh.SERVICES) {
            Properties p = ServiceKafkaUse.properties(service);
            assertThat(p.getProperty("quarkus.micrometer.binder.kafka.enabled", "true")).as(service).isEqualTo("true");
            assertThat(p.getProperty("quarkus.micrometer.enabled", "true")).as(service).isEqualTo("true");
            assertThat(p.stringPropertyNames()).as(service)
                    .noneMatch(k -> k.startsWith("mp.messaging.") && (k.endsWith(".client.id")
                            || k.endsWith(".client-id-prefix") || k.endsWith(".cdi-events")));
            assertThat(p.stringPropertyNames()).as(service + " has consumer groups")
                    .anyMatch(k -> k.startsWith("mp.messaging.incoming.") && k.endsWith(".group.id"));
        }
    }

    /**
     * JSON logs in Kubernetes, plain text elsewhere: every Deployment runs the k8s profile, in which service-common's
     * defaults turn the console's JSON format on, and no service overrides that. Traces are off unless turned on, for
     * all five services from one key of the ConfigMap engageflow, with the OTLP endpoint beside it.
     */
    @Test
    void theDeploymentsRunTheK8sProfileForJsonLogsAndSwitchTracesFromOneConfigMap() throws Exception {
        Properties common = new Properties();
        try (var in = Files.newInputStream(ROOT.resolve(
                "service-common/src/main/resources/META-INF/microprofile-config.properties"))) {
            common.load(in);
        }
        assertThat(common.getProperty("quarkus.log.console.json.enabled")).isEqualTo("false");
        assertThat(common.getProperty("%k8s.quarkus.log.console.json.enabled")).isEqualTo("true");
        assertThat(common.getProperty("quarkus.otel.sdk.disabled")).isEqualTo("true");
        for (String service : Mesh.SERVICES) {
            assertThat(ServiceKafkaUse.properties(service).stringPropertyNames()).as(service).noneMatch(k ->
                    k.endsWith("quarkus.log.console.json.enabled") || k.endsWith("quarkus.log.console.json")
                            || k.endsWith("quarkus.otel.sdk.disabled"));
        }
        List<JsonNode> docs = all();
        List<JsonNode> deployments = ofKind(docs, "Deployment");
        assertThat(deployments).extracting(d -> d.at("/metadata/name").asText())
                .containsExactlyInAnyOrderElementsOf(Mesh.SERVICES);
        for (JsonNode d : deployments) {
            JsonNode env = d.at("/spec/template/spec/containers/0/env");
            String name = d.at("/metadata/name").asText();
            assertThat(variable(env, "QUARKUS_PROFILE").path("value").asText()).as(name).isEqualTo("k8s");
            assertThat(variable(env, "QUARKUS_OTEL_SDK_DISABLED").at("/valueFrom/configMapKeyRef").toString())
                    .as(name).isEqualTo("{\"name\":\"engageflow\",\"key\":\"tracing-disabled\"}");
            assertThat(variable(env, "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT").at("/valueFrom/configMapKeyRef")
                    .toString()).as(name).isEqualTo("{\"name\":\"engageflow\",\"key\":\"otlp-endpoint\"}");
        }
        JsonNode config = ofKind(docs, "ConfigMap").stream()
                .filter(c -> c.at("/metadata/name").asText().equals("engageflow")).findFirst().orElseThrow();
        assertThat(config.at("/data/tracing-disabled").asText()).isEqualTo("true");
        assertThat(config.at("/data/otlp-endpoint").asText()).startsWith("http");
    }

    @Test
    void everyServiceIsScrapedKeptUpUnderDisruptionAndFencedIn() throws Exception {
        List<JsonNode> docs = all();
        for (JsonNode d : ofKind(docs, "Deployment")) {
            String name = d.at("/metadata/name").asText();
            Map<String, String> podLabels = labels(d.at("/spec/template/metadata/labels"));
            String port = d.at("/spec/template/spec/containers/0/ports/0/containerPort").asText();
            JsonNode service = named(ofKind(docs, "Service"), name);
            assertThat(podLabels).as(name).containsAllEntriesOf(labels(service.at("/spec/selector")));

            // scraped: a ServiceMonitor selecting its Service, on the Service's http port, path /q/metrics
            List<JsonNode> monitors = ofKind(docs, "ServiceMonitor").stream().filter(m ->
                    labels(service.at("/metadata/labels")).entrySet()
                            .containsAll(labels(m.at("/spec/selector/matchLabels")).entrySet())).toList();
            assertThat(monitors).as(name + "'s ServiceMonitor").singleElement().satisfies(m -> {
                assertThat(m.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
                assertThat(m.at("/spec/endpoints/0/port").asText()).isEqualTo(service.at("/spec/ports/0/name").asText());
            });

            // a drain takes one pod at a time, and there are always two or more
            List<JsonNode> budgets = ofKind(docs, "PodDisruptionBudget").stream()
                    .filter(b -> podLabels.entrySet().containsAll(labels(b.at("/spec/selector/matchLabels")).entrySet()))
                    .toList();
            assertThat(budgets).as(name + "'s PodDisruptionBudget").singleElement()
                    .satisfies(b -> assertThat(b.at("/spec/maxUnavailable").asInt()).isEqualTo(1));
            int replicas = d.at("/spec/replicas").asInt();
            for (JsonNode s : ofKind(docs, "ScaledObject")) {
                if (s.at("/spec/scaleTargetRef/name").asText().equals(name)) {
                    replicas = s.at("/spec/minReplicaCount").asInt();
                }
            }
            assertThat(replicas).as(name + " keeps a pod through a drain").isGreaterThanOrEqualTo(2);

            // fenced in: its HTTP port, from the Ingress controller and Prometheus only
            List<JsonNode> policies = policiesSelecting(docs, podLabels);
            assertThat(policies).as(name + "'s NetworkPolicy").singleElement().satisfies(p -> {
                assertThat(p.at("/spec/policyTypes").toString()).contains("Ingress");
                assertThat(p.at("/spec/ingress")).singleElement().satisfies(rule -> {
                    assertThat(rule.at("/ports").findValuesAsText("port")).containsExactly(port);
                    assertThat(rule.at("/from").findValuesAsText("kubernetes.io/metadata.name"))
                            .containsExactlyInAnyOrder("ingress-nginx", "monitoring");
                    assertThat(rule.at("/from").findValues("podSelector")).isEmpty();
                });
            });
        }
    }

    /**
     * PostgreSQL's pods accept the database port from the five services only (beside their own replication and the
     * operator); Kafka's listener (Strimzi generates the policy from networkPolicyPeers) the services, KEDA and the
     * labelled publisher namespaces only.
     */
    @Test
    void onlyTheServicesReachPostgresAndKafka() throws Exception {
        List<JsonNode> docs = all();
        String cluster = ofKind(docs, "Cluster").get(0).at("/metadata/name").asText();
        List<JsonNode> pg = policiesSelecting(docs, Map.of("cnpg.io/cluster", cluster));
        assertThat(pg).as("PostgreSQL's NetworkPolicy").singleElement();
        Set<String> appsOn5432 = new TreeSet<>();
        for (JsonNode rule : pg.get(0).at("/spec/ingress")) {
            for (JsonNode from : rule.path("from")) {
                if (from.has("namespaceSelector")) {
                    assertThat(from.at("/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                            .isEqualTo("cnpg-system");
                } else if (from.at("/podSelector/matchLabels").has("cnpg.io/cluster")) {
                    assertThat(from.at("/podSelector/matchLabels/cnpg.io~1cluster").asText()).isEqualTo(cluster);
                } else {
                    assertThat(rule.at("/ports").findValuesAsText("port")).containsExactly("5432");
                    appsOn5432.addAll(appsOf(from.path("podSelector")));
                }
            }
        }
        assertThat(appsOn5432).containsExactlyInAnyOrderElementsOf(Mesh.SERVICES);
        // no other policy opens PostgreSQL's pods further
        assertThat(pg.get(0).at("/spec/policyTypes").toString()).contains("Ingress");

        JsonNode listener = ofKind(docs, "Kafka").get(0).at("/spec/kafka/listeners/0");
        Set<String> kafkaApps = new TreeSet<>();
        List<String> namespaces = new ArrayList<>();
        for (JsonNode peer : listener.path("networkPolicyPeers")) {
            if (peer.has("podSelector")) {
                assertThat(peer.has("namespaceSelector")).isFalse();
                kafkaApps.addAll(appsOf(peer.path("podSelector")));
            } else {
                namespaces.add(peer.at("/namespaceSelector/matchLabels").toString());
            }
        }
        assertThat(kafkaApps).containsExactlyInAnyOrderElementsOf(Mesh.SERVICES);
        assertThat(namespaces).containsExactlyInAnyOrder("{\"kubernetes.io/metadata.name\":\"keda\"}",
                "{\"engageflow.io/kafka-publisher\":\"true\"}");
    }

    /**
     * From outside, over TLS, only /api of the services' HTTP ports (and the admin console on the orchestrator's
     * host): no /q/metrics, health or OpenAPI.
     */
    @Test
    void onlyTheCallersApisAreReachableFromOutside() throws Exception {
        List<JsonNode> docs = all();
        List<JsonNode> ingresses = ofKind(docs, "Ingress");
        assertThat(ingresses).hasSize(1);
        JsonNode ingress = ingresses.get(0);
        Set<String> backends = new TreeSet<>();
        Set<String> hosts = new TreeSet<>();
        for (JsonNode rule : ingress.at("/spec/rules")) {
            hosts.add(rule.path("host").asText());
            for (JsonNode path : rule.at("/http/paths")) {
                String service = path.at("/backend/service/name").asText();
                if (service.equals("orchestrator-service")) {
                    assertThat(path.path("path").asText()).isIn("/api", "/console");
                } else {
                    assertThat(path.path("path").asText()).isEqualTo("/api");
                }
                assertThat(path.path("pathType").asText()).isEqualTo("Prefix");
                assertThat(path.at("/backend/service/port/name").asText())
                        .isEqualTo(named(ofKind(docs, "Service"), service).at("/spec/ports/0/name").asText());
                backends.add(service);
            }
        }
        // the trigger API, the admin API and the data APIs (CONTRACT.md): each service serves one of them
        assertThat(backends).containsExactlyInAnyOrderElementsOf(Mesh.SERVICES);
        Set<String> tlsHosts = new TreeSet<>();
        ingress.at("/spec/tls/0/hosts").forEach(h -> tlsHosts.add(h.asText()));
        assertThat(tlsHosts).containsAll(hosts);
        // and every API path of the code is under /api
        for (String service : Mesh.SERVICES) {
            for (String source : ServiceKafkaUse.sources(service)) {
                Matcher m = Pattern.compile("(?m)^@Path\\(\"([^\"]+)\"\\)").matcher(source);
                while (m.find()) {
                    assertThat(m.group(1)).as(service).startsWith("/api/");
                }
            }
        }
    }

    /**
     * The integration service's encryption key (SecretKeyring reads ENGAGEFLOW_INTEGRATION_SECRET_KEY) comes from a
     * Secret it cannot start without, and no key, password or token is a literal value in any Deployment.
     */
    @Test
    void theEncryptionKeyComesFromASecretAndNoKeyIsWrittenInAManifest() throws Exception {
        List<JsonNode> docs = all();
        String keyring = String.join("\n", ServiceKafkaUse.sources("integration-actions-service"));
        assertThat(keyring).contains("set ENGAGEFLOW_INTEGRATION_SECRET_KEY");
        JsonNode integration = named(ofKind(docs, "Deployment"), "integration-actions-service");
        JsonNode env = integration.at("/spec/template/spec/containers/0/env");
        assertThat(secret(env, "ENGAGEFLOW_INTEGRATION_SECRET_KEY")).isEqualTo("engageflow-secrets/connected-app-key");
        assertThat(variable(env, "ENGAGEFLOW_INTEGRATION_SECRET_KEY").at("/valueFrom/secretKeyRef/optional")
                .asBoolean()).isFalse();
        for (JsonNode d : ofKind(docs, "Deployment")) {
            for (JsonNode v : d.at("/spec/template/spec/containers/0/env")) {
                if (v.path("name").asText().matches(".*(KEY|PASSWORD|SECRET|TOKEN|JAAS).*")) {
                    assertThat(v.has("value")).as(d.at("/metadata/name").asText() + " " + v.path("name").asText())
                            .isFalse();
                }
            }
        }
        assertThat(ofKind(docs, "Secret")).isEmpty();
        try (var files = Files.list(ROOT.resolve("deploy/k8s"))) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).as("every manifest is applied")
                    .filteredOn(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
                    .allSatisfy(f -> assertThat(DeployManifestsTest.documents("kustomization.yaml").get(0)
                            .get("resources").toString()).contains("\"" + f + "\""));
        }
    }

    private static List<JsonNode> policiesSelecting(List<JsonNode> docs, Map<String, String> podLabels) {
        return ofKind(docs, "NetworkPolicy").stream().filter(p -> {
            JsonNode selector = p.at("/spec/podSelector");
            return !selector.isMissingNode() && !selector.isEmpty()
                    && podLabels.entrySet().containsAll(labels(selector.path("matchLabels")).entrySet())
                    && !selector.has("matchExpressions");
        }).toList();
    }

    /** The app labels a pod selector admits: matchLabels app, or matchExpressions app In […]. */
    private static Set<String> appsOf(JsonNode podSelector) {
        Set<String> apps = new TreeSet<>();
        if (podSelector.at("/matchLabels/app").isTextual()) {
            apps.add(podSelector.at("/matchLabels/app").asText());
        }
        for (JsonNode e : podSelector.path("matchExpressions")) {
            assertThat(e.path("key").asText()).isEqualTo("app");
            assertThat(e.path("operator").asText()).isEqualTo("In");
            e.path("values").forEach(v -> apps.add(v.asText()));
        }
        return apps;
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new HashMap<>();
        node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static JsonNode named(List<JsonNode> docs, String name) {
        return docs.stream().filter(d -> d.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name));
    }
}
