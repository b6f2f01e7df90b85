package io.engageflow.e2e;

import static io.restassured.RestAssured.given;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.e2e.HostileRecords.Kind;
import io.engageflow.e2e.HostileRecords.Outcome;
import io.engageflow.testsupport.PostgresDatabases;
import io.restassured.http.ContentType;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chaos soak (issue 11): the bench workflow (ContactFilter → ContactCouponIssue → ContactEmailSend →
 * HttpRequest to a local receiver) driven at a steady rate on the five packaged services and a broker process,
 * while every few seconds a random service or the broker is SIGKILLed and started again, and a stream of hostile
 * records of every kind the mesh must refuse or park ({@link HostileRecords}) is mixed in. At the end, once every
 * consumer group has read everything: every good trigger made exactly one completed instance, one coupon, one email
 * and one webhook; every hostile record was rejected, parked, ignored or failed its run as its kind says, and
 * nothing else was; no lag is left. It prints the figures in one block.
 *
 * <p>Parameters (system properties, passed through by Maven): {@code soak.minutes} (3), {@code soak.rate} good
 * triggers per second (10), {@code soak.hostilePerSecond} (2), {@code soak.faultEverySeconds} pause between one
 * fault's recovery and the next kill (5), {@code soak.seed} for the order of the faults (random, printed),
 * {@code soak.drainMinutes} how long the end may take to settle (8). {@code bench/soak.sh MINUTES} runs it.
 */
class ChaosSoakE2ETest {
    static final String OFFER = "soak";
    static final String BENCH = "bench";
    static final String DELAY_UNTIL = "delay-until";
    static final String DELAY_FOR = "delay-for";
    /** Each consumed topic and its dead-letter topic. */
    static final Map<String, String> DEAD_LETTER_TOPICS = new LinkedHashMap<>();

    static {
        for (String topic : List.of(Topics.TRIGGERS_INBOUND, Topics.WORKFLOW_TRIGGERS, Topics.CONTACT_COMMANDS,
                Topics.REWARD_COMMANDS, Topics.INTEGRATION_COMMANDS, Topics.ACTION_RESULTS)) {
            DEAD_LETTER_TOPICS.put(topic, Topics.dlq(topic));
        }
    }

    static final double MINUTES = Double.parseDouble(System.getProperty("soak.minutes", "3"));
    static final double RATE = Double.parseDouble(System.getProperty("soak.rate", "10"));
    static final double HOSTILE_RATE = Double.parseDouble(System.getProperty("soak.hostilePerSecond", "2"));
    static final int FAULT_EVERY = Integer.parseInt(System.getProperty("soak.faultEverySeconds", "5"));
    static final long SEED = Long.parseLong(System.getProperty("soak.seed",
            String.valueOf(System.nanoTime() % 1_000_000)));
    static final double DRAIN_MINUTES = Double.parseDouble(System.getProperty("soak.drainMinutes", "8"));

    static KafkaProcess broker;
    static GreenMail smtp;
    static WebhookSink webhooks;
    static Mesh mesh;
    static ConsumerGroups groups;

    final String ws = "soak-" + UUID.randomUUID().toString().substring(0, 8);
    KafkaProducer<String, String> producer;

    // good triggers: each key is a contact and its trigger's eventId
    final AtomicInteger goodIssued = new AtomicInteger();
    final Set<String> goodAcked = ConcurrentHashMap.newKeySet();
    final ConcurrentLinkedQueue<String> goodToResend = new ConcurrentLinkedQueue<>();
    final AtomicInteger goodSendFailures = new AtomicInteger();

    // hostile records: the keys the broker took, by kind; what a send that failed said
    final AtomicInteger hostileSeq = new AtomicInteger();
    final Map<String, Kind> hostileAcked = new ConcurrentHashMap<>();
    final Map<String, String> hostileNotSent = new ConcurrentHashMap<>();
    /** Forged results for finished instances: the hostile key and the instance it named. */
    final Map<String, String> forgedFinished = new ConcurrentHashMap<>();

    /** Held: a logger's level lasts only as long as someone holds the logger. */
    static final java.util.logging.Logger MAILBOXES = java.util.logging.Logger.getLogger("com.icegreen.greenmail");
    static final java.util.logging.Logger KAFKA_CLIENTS = java.util.logging.Logger.getLogger("org.apache.kafka");

    @BeforeAll
    static void start() throws Exception {
        MAILBOXES.setLevel(java.util.logging.Level.WARNING); // a line per mailbox created
        KAFKA_CLIENTS.setLevel(java.util.logging.Level.SEVERE); // lines per retry while the broker is down
        broker = new KafkaProcess(Path.of("target", "kafka-soak"), 3);
        int smtpPort = Mesh.freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        webhooks = new WebhookSink();
        mesh = new Mesh(smtpPort, broker.bootstrapServers());
        groups = new ConsumerGroups(broker.bootstrapServers());
    }

    @AfterAll
    static void stop() throws Exception {
        // the mesh before the broker it uses; what never started is null
        for (AutoCloseable part : new AutoCloseable[] {groups, mesh, broker, webhooks,
                smtp == null ? null : smtp::stop}) {
            if (part != null) {
                part.close();
            }
        }
    }

    @Test
    void underFaultsAndHostileRecordsEveryGoodTriggerTakesEffectOnceAndEveryHostileOneIsRefused() throws Exception {
        prepareWorkspace();
        producer = producer();
        HostileRecords hostile;
        ChaosFaults faults = new ChaosFaults(mesh, broker, Duration.ofSeconds(FAULT_EVERY), SEED);
        ScheduledExecutorService senders = Executors.newScheduledThreadPool(2);
        Instant began = Instant.now();
        Instant loadEnded;
        Instant settled;
        long lagLeft;
        PartitionStalls stalls = new PartitionStalls(broker.bootstrapServers(), faults::inProgress);
        try (SoakEvents events = new SoakEvents(broker.bootstrapServers(), ws)) {
            hostile = new HostileRecords(ws, events::anyCompleted); // only the bench workflow's instances complete
            List<Kind> kinds = hostile.kinds();
            stalls.start();
            faults.start();
            senders.scheduleAtFixedRate(this::sendGood, 0, Math.round(1_000_000 / RATE), TimeUnit.MICROSECONDS);
            senders.scheduleAtFixedRate(() -> sendHostile(kinds), 0, Math.round(1_000_000 / HOSTILE_RATE),
                    TimeUnit.MICROSECONDS);
            long until = System.currentTimeMillis() + Math.round(MINUTES * 60_000);
            while (System.currentTimeMillis() < until) {
                Mesh.sleep(1000);
            }
            senders.shutdown();
            senders.awaitTermination(2, TimeUnit.MINUTES);
            faults.stop(); // the fault in progress ends first: everything is up from here
            loadEnded = Instant.now();
            awaitEveryGoodTriggerAcknowledged();
            producer.close(Duration.ofMinutes(1));

            // the end: every group has read everything, the instances of the good and the delay triggers have ended
            long expectedDelayRuns = hostileAcked.values().stream().filter(k -> k.outcome() == Outcome.FAILED_RUN)
                    .count();
            long deadline = System.currentTimeMillis() + Math.round(DRAIN_MINUTES * 60_000);
            int zeroLagInARow = 0;
            lagLeft = -1;
            while (System.currentTimeMillis() < deadline) {
                long checkedAt = System.currentTimeMillis();
                lagLeft = groups.totalLag();
                zeroLagInARow = lagLeft == 0 ? zeroLagInARow + 1 : 0;
                long ended = events.of(BENCH).stream().filter(i -> !i.ended.isEmpty()).count();
                long delayEnded = events.of(DELAY_UNTIL).stream().filter(i -> !i.ended.isEmpty()).count()
                        + events.of(DELAY_FOR).stream().filter(i -> !i.ended.isEmpty()).count();
                if (zeroLagInARow >= 2 && ended >= goodAcked.size() && delayEnded >= expectedDelayRuns) {
                    Mesh.sleep(1000);
                    if (events.caughtUpSince(checkedAt)) {
                        break;
                    }
                }
                Mesh.sleep(1000);
            }
            settled = Instant.now();
            stalls.close();
            lagLeft = groups.totalLag();
            tallyAndAssert(events, hostile, faults, stalls, lagLeft, began, loadEnded, settled);
        } finally {
            senders.shutdownNow();
            faults.close();
            stalls.close();
        }
    }

    // ------------------------------------------------------------------ setup and load

    private void prepareWorkspace() {
        given().contentType(ContentType.JSON).body(Map.of("name", OFFER))
                .post(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/coupon-offers")
                .then().statusCode(201);
        activate("""
                {"id": "%s", "name": "bench and an email", "trigger": {"type": "DataCaptured"},
                 "steps": [{"id": "valid", "action": "ContactFilter", "config": {"condition": "has(contact.email)"}},
                           {"id": "coupon", "action": "ContactCouponIssue", "config": {"offer": "%s"}},
                           {"id": "mail", "action": "ContactEmailSend",
                            "config": {"subject": "Your code", "body": "{{steps.coupon.coupon_code}}"}},
                           {"id": "hook", "action": "HttpRequest", "config": {"url": "%s", "method": "POST",
                            "body": {"contact": "{{contact.id}}", "code": "{{steps.coupon.coupon_code}}"}}}]}"""
                .formatted(BENCH, OFFER, webhooks.url()), BENCH);
        // Delays whose time comes from the trigger's free-form data: the hostile ones must fail, never wait
        activate("""
                {"id": "%s", "name": "wait until the trigger says", "trigger": {"type": "Gameplay.Ended"},
                 "steps": [{"id": "wait", "action": "Delay", "config": {"until": "{{trigger.data.at}}"}},
                           {"id": "after", "action": "ContactAddToList", "config": {"list": "Delayed"}}]}"""
                .formatted(DELAY_UNTIL), DELAY_UNTIL);
        activate("""
                {"id": "%s", "name": "wait as long as the trigger says", "trigger": {"type": "Card.Completed"},
                 "steps": [{"id": "wait", "action": "Delay", "config": {"duration": "{{trigger.data.wait}}"}},
                           {"id": "after", "action": "ContactAddToList", "config": {"list": "Delayed"}}]}"""
                .formatted(DELAY_FOR), DELAY_FOR);
    }

    private void activate(String definition, String id) {
        String workflows = mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/workflows";
        given().contentType(ContentType.JSON).body(definition).post(workflows).then().statusCode(201);
        given().post(workflows + "/" + id + "/activate").then().statusCode(200);
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                // a record waits out a broker restart rather than fail
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "600000",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "600000",
                ProducerConfig.LINGER_MS_CONFIG, "5"), new StringSerializer(), new StringSerializer());
    }

    /** The next good trigger, or one whose send failed again (an upstream platform retries with the same eventId). */
    private void sendGood() {
        String key = goodToResend.poll();
        if (key == null) {
            key = "c" + goodIssued.incrementAndGet();
        }
        TriggerEvent t = new TriggerEvent(key, "DataCaptured", ws, Instant.now(),
                new ContactSnapshot(key, key + "@example.com", null, "Soak", null, Map.of()), Map.of());
        String sent = key;
        producer.send(new ProducerRecord<>(Topics.TRIGGERS_INBOUND, key, JsonCodec.encode(t)), (meta, error) -> {
            if (error == null) {
                goodAcked.add(sent);
            } else {
                goodSendFailures.incrementAndGet();
                goodToResend.add(sent);
            }
        });
    }

    private void sendHostile(List<Kind> kinds) {
        for (int tries = 0; tries < kinds.size(); tries++) {
            int n = hostileSeq.incrementAndGet();
            Kind kind = kinds.get(n % kinds.size());
            String key = "h" + n + "." + kind.name();
            ProducerRecord<String, String> record = kind.make().apply(key);
            if (record == null) {
                continue; // nothing to forge for yet (no finished instance): the next kind goes instead
            }
            if (kind.name().equals("result-finished-instance")) {
                forgedFinished.put(key, record.key());
            }
            producer.send(record, (meta, error) -> {
                if (error == null) {
                    hostileAcked.put(key, kind);
                } else {
                    hostileNotSent.put(key, error.toString());
                }
            });
            return;
        }
    }

    private void awaitEveryGoodTriggerAcknowledged() {
        producer.flush();
        for (int round = 0; round < 10 && !goodToResend.isEmpty(); round++) {
            for (int i = goodToResend.size(); i > 0; i--) {
                sendGood(); // takes the next one to send again
            }
            producer.flush();
        }
    }

    // ------------------------------------------------------------------ the tally

    private void tallyAndAssert(SoakEvents events, HostileRecords hostile, ChaosFaults faults, PartitionStalls stalls,
                                long lagLeft, Instant began, Instant loadEnded, Instant settled) throws Exception {
        SoftAssertions soft = new SoftAssertions();
        int good = goodAcked.size();
        Set<String> goodKeys = Set.copyOf(goodAcked);

        // instances, from workflow.events
        List<SoakEvents.Instance> bench = events.of(BENCH);
        long completed = events.ended(BENCH, "completed");
        long benchFailed = events.ended(BENCH, "failed");
        Map<String, Integer> instancesPerContact = new HashMap<>();
        bench.forEach(i -> instancesPerContact.merge(i.contactId, 1, Integer::sum));
        List<String> doubledContacts = instancesPerContact.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey).sorted().toList();
        long twoEndings = events.of(BENCH).stream().filter(i -> i.ended.size() > 1).count();

        // coupons, emails, webhooks: where a user sees them
        int coupons = given().get(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/coupon-offers/"
                + OFFER).then().statusCode(200).extract().path("issued");
        int mails = 0;
        Set<String> messageIds = new HashSet<>();
        Set<String> mailed = new HashSet<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            mails++;
            messageIds.add(m.getMessageID());
            mailed.add(recipient(m));
        }
        Set<String> goodMailboxes = new HashSet<>();
        goodKeys.forEach(k -> goodMailboxes.add(k + "@example.com"));

        // hostile records: what became of each
        Map<String, Integer> sentPerKind = new TreeMap<>();
        hostileAcked.forEach((key, kind) -> sentPerKind.merge(kind.name(), 1, Integer::sum));
        Map<String, Set<String>> seenPerKind = new HashMap<>();
        List<String> misplaced = new ArrayList<>();
        Rejections rejections = rejections(hostile, seenPerKind, misplaced);
        Map<String, DeadLetterTally> parked = deadLetters(hostile, seenPerKind, misplaced);
        Map<String, Integer> repeatsIgnored = new TreeMap<>();
        Map<String, Integer> ignoredReasons = ignoredResults(hostile, seenPerKind, misplaced, repeatsIgnored);
        failedRuns(hostile, seenPerKind, misplaced);
        forgedFinishedStayCompleted(seenPerKind, misplaced);

        // ---------------------------------------------------------------- the figures
        StringBuilder out = new StringBuilder();
        out.append(String.format("%n==================== chaos soak: %s ====================%n", ws));
        out.append(String.format("load %.1f min at %.0f good/s and %.0f hostile/s, a fault every %d s after the "
                        + "last recovery (seed %d); settled %d s after the load ended%n", MINUTES, RATE, HOSTILE_RATE,
                FAULT_EVERY, SEED, Duration.between(loadEnded, settled).toSeconds()));
        out.append(String.format("good triggers sent        %d (sends that failed and were sent again: %d)%n", good,
                goodSendFailures.get()));
        out.append(String.format("instances completed       %d (failed %d, started %d, contacts with two "
                + "instances %d, ended twice differently %d)%n", completed, benchFailed, bench.size(),
                doubledContacts.size(), twoEndings));
        out.append(String.format("coupons issued            %d%n", coupons));
        out.append(String.format("emails                    %d distinct Message-IDs to %d mailboxes (%d SMTP "
                + "deliveries: %d repeats of a Message-ID after a crash)%n", messageIds.size(), mailed.size(), mails,
                mails - messageIds.size()));
        out.append(String.format("webhooks                  %d distinct Idempotency-Keys for %d contacts (%d calls: "
                + "%d repeats of a key after a crash, %d without a key)%n", webhooks.effects(),
                webhooks.contacts().size(), webhooks.calls(), webhooks.calls() - webhooks.effects(),
                webhooks.withoutKey()));
        out.append(String.format("consumer lag left         %d%n", lagLeft));
        out.append(String.format("longest partition stall   %s%n", stalls.longest()));
        out.append(String.format("  with no fault under way %s%n", stalls.longestWithoutFault()));
        out.append(String.format("  (%d samples, %d while the broker could not answer)%n", stalls.samples(),
                stalls.failedSamples()));
        out.append(String.format("faults injected           %d: %s%n", faults.faults().size(), faults.counts()));
        for (ChaosFaults.Fault f : faults.faults()) {
            out.append(String.format("    +%4d s  %-28s down %.1f s%n", Duration.between(began, f.killed())
                    .toSeconds(), f.target(), Duration.between(f.killed(), f.up()).toMillis() / 1000.0));
        }
        out.append(String.format("hostile records sent      %d (%d not taken by the broker)%n", hostileAcked.size(),
                hostileNotSent.size()));
        out.append(String.format("  %-34s %-30s %-11s %5s %5s%n", "kind", "topic", "outcome", "sent", "seen"));
        for (Kind kind : hostile.kinds()) {
            out.append(String.format("  %-34s %-30s %-11s %5d %5d%n", kind.name(), kind.topic(), kind.outcome(),
                    sentPerKind.getOrDefault(kind.name(), 0), seenPerKind.getOrDefault(kind.name(), Set.of()).size()));
        }
        out.append(String.format("rejected on %s: %d records (%d distinct), by reason:%n", Topics.TRIGGERS_REJECTED,
                rejections.records, rejections.distinct));
        rejections.reasons.forEach((reason, n) -> out.append(String.format("  %6d  %s%n", n, reason)));
        for (var e : parked.entrySet()) {
            out.append(String.format("parked on %s: %d records (%d distinct), by error:%n", e.getKey(),
                    e.getValue().records, e.getValue().distinct));
            e.getValue().errors.forEach((error, n) -> out.append(String.format("  %6d  %s%n", n, error)));
        }
        out.append(String.format("results ignored by the orchestrator (forged), by reason:%n"));
        ignoredReasons.forEach((reason, n) -> out.append(String.format("  %6d  %s%n", n, reason)));
        out.append(String.format("real results answered again after a crash and ignored, by reason:%n"));
        repeatsIgnored.forEach((reason, n) -> out.append(String.format("  %6d  %s%n", n, reason)));
        misplaced.stream().limit(30).forEach(m -> out.append("  MISPLACED ").append(m).append('\n'));
        out.append("==========================================================================\n");
        System.out.print(out);
        Files.writeString(Path.of("target", "soak-report.txt"), out); // bench/soak.sh points at it

        // ---------------------------------------------------------------- the promises
        soft.assertThat(good).as("good triggers sent").isPositive();
        soft.assertThat(bench.size()).as("instances started for the good triggers").isEqualTo(good);
        soft.assertThat(completed).as("instances completed").isEqualTo(good);
        soft.assertThat(doubledContacts).as("contacts with more than one instance").isEmpty();
        soft.assertThat(benchFailed).as("good instances that failed").isZero();
        soft.assertThat(coupons).as("coupons issued").isEqualTo(good);
        soft.assertThat(messageIds).as("emails (distinct Message-IDs)").hasSize(good);
        soft.assertThat(mailed).as("mailboxes an email reached").isEqualTo(goodMailboxes);
        soft.assertThat(webhooks.effects()).as("webhooks (distinct Idempotency-Keys)").isEqualTo(good);
        soft.assertThat(webhooks.contacts()).as("contacts a webhook named").isEqualTo(goodKeys);
        soft.assertThat(webhooks.withoutKey()).as("webhooks without an Idempotency-Key").isZero();
        soft.assertThat(lagLeft).as("consumer lag left").isZero();
        soft.assertThat(faults.faults()).as("faults injected").isNotEmpty();
        soft.assertThat(broker.isRunning()).as("the broker runs at the end").isTrue();
        soft.assertThat(mesh.running()).as("services running at the end")
                .containsExactlyInAnyOrderElementsOf(Mesh.SERVICES);
        soft.assertThat(hostileNotSent).as("hostile records the broker did not take").isEmpty();
        for (Kind kind : hostile.kinds()) {
            Set<String> sent = new HashSet<>();
            hostileAcked.forEach((key, k) -> {
                if (k == kind) {
                    sent.add(key);
                }
            });
            soft.assertThat(sent).as("%s records sent", kind.name()).isNotEmpty();
            soft.assertThat(seenPerKind.getOrDefault(kind.name(), Set.of())).as("%s records %s", kind.name(),
                    kind.outcome()).isEqualTo(sent);
        }
        soft.assertThat(misplaced).as("records that ended elsewhere than their kind says").isEmpty();
        soft.assertAll();
    }

    private static String recipient(MimeMessage m) {
        try {
            return m.getAllRecipients()[0].toString();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Rejections(int records, int distinct, Map<String, Integer> reasons) {
    }

    /** triggers.rejected: each hostile record once (repeats after a crash are counted, not failed), by reason. */
    private Rejections rejections(HostileRecords hostile, Map<String, Set<String>> seen, List<String> misplaced) {
        Map<String, Kind> kinds = byName(hostile);
        Map<String, Integer> reasons = new TreeMap<>();
        Set<String> keys = new HashSet<>();
        int records = 0;
        for (ConsumerRecord<String, String> r : TopicRecords.all(broker.bootstrapServers(),
                Topics.TRIGGERS_REJECTED)) {
            // read as a map, not as contracts' RejectedRecord: a class first loaded this late would come from
            // contracts/target/classes, which a build beside this run may be rewriting
            Map<String, Object> rejected = JsonCodec.toMap(r.value());
            String reason = String.valueOf(rejected.get("reason"));
            records++;
            if (!keys.add(r.key())) {
                continue;
            }
            ((List<?>) rejected.get("details")).forEach(d -> reasons.merge(reasonClass(d.toString()), 1,
                    Integer::sum));
            Kind kind = HostileRecords.isHostile(r.key()) ? kinds.get(HostileRecords.kindOf(r.key())) : null;
            if (kind == null || kind.outcome() != Outcome.REJECTED) {
                misplaced.add("rejected " + r.key() + ": " + reason);
            } else if (!reason.contains(kind.expectation())) {
                misplaced.add("rejected " + r.key() + " for another reason than '" + kind.expectation() + "': "
                        + reason);
            } else {
                seen.computeIfAbsent(kind.name(), k -> new HashSet<>()).add(r.key());
            }
        }
        return new Rejections(records, keys.size(), reasons);
    }

    private static final class DeadLetterTally {
        int records;
        int distinct;
        final Map<String, Integer> errors = new TreeMap<>();
    }

    /** Every .dlq topic: each parked record once per (topic, partition, offset), by error. */
    private Map<String, DeadLetterTally> deadLetters(HostileRecords hostile, Map<String, Set<String>> seen,
                                                     List<String> misplaced) {
        Map<String, Kind> kinds = byName(hostile);
        Map<String, DeadLetterTally> tallies = new LinkedHashMap<>();
        for (String dlq : DEAD_LETTER_TOPICS.values()) {
            DeadLetterTally tally = new DeadLetterTally();
            tallies.put(dlq, tally);
            Set<String> where = new HashSet<>();
            for (ConsumerRecord<String, String> r : TopicRecords.all(broker.bootstrapServers(), dlq)) {
                Map<String, Object> letter = JsonCodec.toMap(r.value());
                tally.records++;
                if (!where.add(letter.get("topic") + "/" + letter.get("partition") + "/" + letter.get("offset"))) {
                    continue;
                }
                tally.distinct++;
                String error = String.valueOf(letter.get("error"));
                tally.errors.merge(reasonClass(error), 1, Integer::sum);
                String key = (String) letter.get("key");
                Kind kind = HostileRecords.isHostile(key) ? kinds.get(HostileRecords.kindOf(key)) : null;
                if (kind == null || kind.outcome() != Outcome.PARKED || !kind.topic().equals(letter.get("topic"))) {
                    misplaced.add("parked " + key + " from " + letter.get("topic") + " by " + letter.get("service")
                            + ": " + error);
                } else if (!error.contains(kind.expectation())) {
                    misplaced.add("parked " + key + " for another error than '" + kind.expectation() + "': " + error);
                } else {
                    seen.computeIfAbsent(kind.name(), k -> new HashSet<>()).add(key);
                }
            }
        }
        return tallies;
    }

    /**
     * Results the orchestrator recorded as ignored, from its database (a result for an instance that does not exist
     * has no instance whose ignored-results the API could list): the forged ones, by reason.
     */
    private Map<String, Integer> ignoredResults(HostileRecords hostile, Map<String, Set<String>> seen,
                                                List<String> misplaced, Map<String, Integer> repeatsIgnored)
            throws Exception {
        Map<String, Kind> kinds = byName(hostile);
        Map<String, Integer> reasons = new TreeMap<>();
        Set<String> keys = new HashSet<>();
        try (Connection c = DriverManager.getConnection(PostgresDatabases.jdbcUrl(Mesh.database(
                "orchestrator-service")), PostgresDatabases.USER, PostgresDatabases.PASSWORD);
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT command_id, reason FROM ignored_result")) {
            while (rows.next()) {
                String commandId = rows.getString(1);
                String reason = rows.getString(2);
                String key = commandId == null ? null : commandId.split("\\|")[0];
                if (!HostileRecords.isHostile(key)) {
                    // a real answer again (a command redelivered after a crash, answered from the action
                    // service's record): ignored as it should be, and counted
                    repeatsIgnored.merge(reasonClass(reason), 1, Integer::sum);
                    continue;
                }
                if (!keys.add(key)) {
                    continue;
                }
                reasons.merge(reasonClass(reason), 1, Integer::sum);
                Kind kind = kinds.get(HostileRecords.kindOf(key));
                if (kind == null || kind.outcome() != Outcome.IGNORED) {
                    misplaced.add("result ignored for command " + key + ": " + reason);
                } else if (!reason.contains(kind.expectation())) {
                    misplaced.add("result " + key + " ignored for another reason than '" + kind.expectation()
                            + "': " + reason);
                } else {
                    seen.computeIfAbsent(kind.name(), k -> new HashSet<>()).add(key);
                }
            }
        }
        return reasons;
    }

    /** Each Delay-template trigger's instance ended failed at its Delay, with the error its kind names. */
    @SuppressWarnings("unchecked")
    private void failedRuns(HostileRecords hostile, Map<String, Set<String>> seen, List<String> misplaced) {
        for (var e : hostileAcked.entrySet()) {
            Kind kind = e.getValue();
            if (kind.outcome() != Outcome.FAILED_RUN) {
                continue;
            }
            List<Map<String, Object>> instances = given().queryParam("contactId", e.getKey())
                    .get(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/instances")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            if (instances.size() != 1 || !"failed".equals(instances.get(0).get("status"))) {
                misplaced.add(e.getKey() + ": instances " + instances.stream().map(i -> i.get("status")).toList());
                continue;
            }
            Map<String, Object> wait = ((List<Map<String, Object>>) instances.get(0).get("steps")).get(0);
            Map<String, Object> error = (Map<String, Object>) wait.get("error");
            String message = error == null ? "" : error.get("code") + ": " + error.get("message");
            if (!"wait".equals(wait.get("stepId")) || !message.startsWith("InvalidConfig")
                    || !message.contains(kind.expectation())) {
                misplaced.add(e.getKey() + ": its Delay ended " + wait.get("status") + " with " + message);
            } else {
                seen.computeIfAbsent(kind.name(), k -> new HashSet<>()).add(e.getKey());
            }
        }
    }

    /** A forged result for a completed instance changed nothing: the instance is still completed. */
    private void forgedFinishedStayCompleted(Map<String, Set<String>> seen, List<String> misplaced) {
        for (var e : forgedFinished.entrySet()) {
            if (!hostileAcked.containsKey(e.getKey())) {
                continue;
            }
            String status = given().get(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/instances/"
                    + e.getValue()).then().statusCode(200).extract().path("status");
            if (!"completed".equals(status)) {
                misplaced.add(e.getKey() + ": the instance it forged a result for is now " + status);
                Set<String> ignored = seen.get("result-finished-instance");
                if (ignored != null) {
                    ignored.remove(e.getKey());
                }
            }
        }
    }

    private static Map<String, Kind> byName(HostileRecords hostile) {
        Map<String, Kind> kinds = new HashMap<>();
        hostile.kinds().forEach(k -> kinds.put(k.name(), k));
        return kinds;
    }

    /**
     * A reason or error as a class of its kind: numbers as N, a sender's quoted text and the list of known types
     * left out, at most 100 characters, so that records refused for the same reason count together.
     */
    static String reasonClass(String reason) {
        String r = reason.replaceAll("; known: .*", "").replaceAll("\\[Source: .*", "")
                .replaceAll("\\d+", "N").replaceAll("\\s+", " ");
        return r.length() <= 100 ? r : r.substring(0, 100) + "…";
    }
}
