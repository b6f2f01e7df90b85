package io.engageflow.e2e;

import io.engageflow.contracts.Topics;
import io.engageflow.contracts.catalog.Category;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a service does on Kafka, read from its code: the topics its channels consume and their consumer groups (its
 * configuration, with action-runtime's defaults under an action service's), the topics its own consumers read by
 * partition assignment, without a group (every {@code new KafkaConsumer<} of its sources; API keys), and the topics
 * it publishes to (every {@code new OutboundRecord(topic, …)} of its sources, service-common's and action-runtime's
 * included: the delivery kit's producer is the only one). A publishing site whose topic is neither a {@link Topics}
 * constant nor one of {@link #SITES}, or a consumer that is not assigned a {@link Topics} constant's partitions,
 * fails, so a new way of using Kafka cannot slip past the ACL check.
 */
record ServiceKafkaUse(Set<String> reads, Set<String> groups, Set<String> writes) {
    private static final Path ROOT = Path.of(System.getProperty("engageflow.root", ".."));
    private static final Pattern INCOMING_TOPIC = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.topic");
    private static final Pattern OUTGOING_TOPIC = Pattern.compile("mp\\.messaging\\.outgoing\\.([^.]+)\\.topic");
    private static final Pattern PUBLISHING_SITE = Pattern.compile("new OutboundRecord\\(\\s*([^,]+?)\\s*,");
    private static final Pattern TOPICS_CONSTANT = Pattern.compile("Topics\\.([A-Z_]+)");
    private static final Pattern INCOMING_METHOD = Pattern.compile("@Incoming\\(\"([^\"]+)\"\\)");
    private static final Pattern ASSIGNED_TOPIC = Pattern.compile("partitionsFor\\(\\s*Topics\\.([A-Z_]+)");

    /**
     * Publishing sites whose topic is computed, by their exact text, and the topics they publish to, given the
     * topics whose records the delivery kit consumes (and so may park).
     */
    private static final Map<String, Function<Set<String>, Set<String>>> SITES = Map.of(
            // service-common DeadLetters: a record the kit can never process goes to <its topic>.dlq
            "topicFor(record.topic())", kitReads -> kitReads.stream().map(Topics::dlq).collect(Collectors.toSet()),
            // orchestrator InstanceEngine: a command goes to the topic of its action's category (Decider)
            "c.topic()", kitReads -> Arrays.stream(Category.values()).map(Category::commandTopic)
                    .collect(Collectors.toSet()),
            // service-common Outbox recovery: sends again the rows the service itself wrote with its records
            "row.getString(\"topic\")", kitReads -> Set.of(),
            // service-common OutboundRecord.withTrace: the same record with its trace context, to the same topic
            "topic", kitReads -> Set.of());

    static ServiceKafkaUse of(String service) {
        Properties props = properties(service);
        Set<String> reads = new TreeSet<>();
        Set<String> groups = new TreeSet<>();
        Set<String> writes = new TreeSet<>();
        Set<String> kitReads = new TreeSet<>();
        Set<String> kitChannels = kitChannels(service);
        for (String key : props.stringPropertyNames()) {
            Matcher in = INCOMING_TOPIC.matcher(key);
            if (in.matches()) {
                reads.add(props.getProperty(key));
                // a channel without group.id joins the group named after the application (Quarkus's default)
                groups.add(props.getProperty("mp.messaging.incoming." + in.group(1) + ".group.id",
                        props.getProperty("quarkus.application.name")));
                if (kitChannels.contains(in.group(1))) {
                    kitReads.add(props.getProperty(key));
                }
            }
            if (OUTGOING_TOPIC.matcher(key).matches()) {
                writes.add(props.getProperty(key));
            }
        }
        reads.addAll(assignedTopics(service));
        for (String site : publishingSites(service)) {
            Matcher constant = TOPICS_CONSTANT.matcher(site);
            if (constant.matches()) {
                writes.add(topicConstant(constant.group(1)));
            } else if (SITES.containsKey(site)) {
                writes.addAll(SITES.get(site).apply(kitReads));
            } else {
                throw new AssertionError(service + " publishes to a topic computed as `" + site + "`: tell "
                        + "ServiceKafkaUse.SITES which topics that is, and give the KafkaUser its ACLs");
            }
        }
        return new ServiceKafkaUse(reads, groups, writes);
    }

    /** Source roots of a service: its own, service-common's, action-runtime's for an action service. */
    static List<Path> sourceRoots(String service) {
        List<Path> roots = new ArrayList<>(List.of(ROOT.resolve(service).resolve("src/main/java"),
                ROOT.resolve("service-common/src/main/java")));
        if (usesActionRuntime(service)) {
            roots.add(ROOT.resolve("action-runtime/src/main/java"));
        }
        return roots;
    }

    /**
     * The channels whose {@code @Incoming} method hands its records to the delivery kit ({@code delivery.consume(}),
     * which parks what it can never process on the topic's dead-letter topic; another consumer (e.g. of key uses,
     * which passes over what it cannot use) parks nothing.
     */
    private static Set<String> kitChannels(String service) {
        Set<String> channels = new TreeSet<>();
        for (String source : sources(service)) {
            Matcher m = INCOMING_METHOD.matcher(source);
            while (m.find()) {
                int end = source.indexOf("\n    }", m.end());
                if (source.substring(m.end(), end < 0 ? source.length() : end).contains("delivery.consume(")) {
                    channels.add(m.group(1));
                }
            }
        }
        return channels;
    }

    /**
     * The topics the service's own consumers read by partition assignment: each {@code new KafkaConsumer<} of its
     * sources must be assigned the partitions of a {@link Topics} constant ({@code partitionsFor(Topics.X}), with no
     * consumer group; any other consumer fails here until this class knows what it reads.
     */
    private static Set<String> assignedTopics(String service) {
        Set<String> topics = new TreeSet<>();
        for (String source : sources(service)) {
            if (!source.contains("new KafkaConsumer<")) {
                continue;
            }
            Matcher m = ASSIGNED_TOPIC.matcher(source);
            boolean any = false;
            while (m.find()) {
                topics.add(topicConstant(m.group(1)));
                any = true;
            }
            if (!any || !source.contains(".assign(")) {
                throw new AssertionError(service + " has a KafkaConsumer that is not assigned a Topics constant's "
                        + "partitions: tell ServiceKafkaUse what it reads, and give the KafkaUser its ACLs");
            }
        }
        return topics;
    }

    /** The first argument of every {@code new OutboundRecord(…)} in the service's sources, as written. */
    private static List<String> publishingSites(String service) {
        List<String> sites = new ArrayList<>();
        for (String source : sources(service)) {
            Matcher m = PUBLISHING_SITE.matcher(source);
            while (m.find()) {
                sites.add(m.group(1));
            }
        }
        return sites;
    }

    static List<String> sources(String service) {
        List<String> texts = new ArrayList<>();
        for (Path root : sourceRoots(service)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    texts.add(Files.readString(f));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return texts;
    }

    /** The service's configuration: action-runtime's defaults (for an action service), then its own. */
    static Properties properties(String service) {
        Properties p = new Properties();
        if (usesActionRuntime(service)) {
            load(p, ROOT.resolve("action-runtime/src/main/resources/META-INF/microprofile-config.properties"));
        }
        load(p, ROOT.resolve(service).resolve("src/main/resources/application.properties"));
        return p;
    }

    private static boolean usesActionRuntime(String service) {
        try {
            return Files.readString(ROOT.resolve(service).resolve("pom.xml"))
                    .contains("<artifactId>action-runtime</artifactId>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void load(Properties p, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String topicConstant(String name) {
        try {
            return (String) Topics.class.getField(name).get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Topics." + name + " is not a topic constant", e);
        }
    }
}
