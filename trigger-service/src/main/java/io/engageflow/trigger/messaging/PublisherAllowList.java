package io.engageflow.trigger.messaging;

import io.engageflow.common.delivery.InboundRecord;
import io.engageflow.common.delivery.RecordStage;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.trigger.config.TriggerSettings;
import io.engageflow.trigger.domain.Verdict;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;

/**
 * Ties a Kafka publisher to the workspaces it may publish for ({@link TriggerSettings#publishers()}; {@code *}: every one). A
 * record of {@code triggers.inbound} names its publisher in the header {@value #HEADER}; a valid trigger whose
 * workspace is not in that publisher's list, or whose record names no configured publisher, is rejected on
 * {@code triggers.rejected} with the reason. The header is the publisher's own claim: the broker does not tell a consumer who wrote a record,
 * so a publisher that can write {@code triggers.inbound} can name another publisher. This list stops a publisher's
 * mistakes (a wrong workspace, a misrouted feed); it is no wall between publishers that distrust each other (that
 * needs a topic per publisher, which ACLs can tie to its Kafka user). deploy/k8s/README.md says more.
 */
@ApplicationScoped
public class PublisherAllowList {
    public static final String HEADER = "engageflow-publisher";
    /**
     * The workspaces entry of a publisher that may publish for every workspace: the action services, whose platform
     * events belong to the workspace of the command that caused them
     * ({@code engageflow.triggers.publishers.contact-actions-service.workspaces=*}).
     */
    public static final String EVERY_WORKSPACE = "*";
    private static final int MAX_QUOTE = 100;

    private final Map<String, Set<String>> workspaces;

    public PublisherAllowList(TriggerSettings config) {
        this.workspaces = config.publishers().entrySet().stream().collect(Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> e.getValue().workspaces().stream().map(String::trim)
                        .filter(w -> !w.isEmpty()).collect(Collectors.toUnmodifiableSet())));
    }

    /** Why the publisher (null: the record named none) may not publish for the workspace; empty when it may. */
    public Optional<String> refusal(String publisher, String workspace) {
        if (workspaces.isEmpty()) {
            return Optional.empty();
        }
        if (publisher == null) {
            return Optional.of("a record without the " + HEADER + " header may not publish for workspace " + workspace);
        }
        Set<String> allowed = workspaces.get(publisher);
        return allowed != null && (allowed.contains(workspace) || allowed.contains(EVERY_WORKSPACE)) ? Optional.empty()
                : Optional.of("publisher " + quote(publisher) + " may not publish for workspace " + workspace);
    }

    /**
     * The stage for one poll: as {@code stage}, with each valid trigger checked against the publisher its record
     * names. With no publishers configured it is {@code stage} itself.
     */
    public RecordStage<Verdict> checking(KafkaRecordBatch<String, String> batch, RecordStage<Verdict> stage) {
        if (workspaces.isEmpty()) {
            return stage;
        }
        Map<Position, String> publishers = new HashMap<>();
        for (KafkaRecord<String, String> r : batch.getRecords()) {
            Header header = r.getHeaders().lastHeader(HEADER);
            if (header != null && header.value() != null && r instanceof IncomingKafkaRecord<String, String> in) {
                publishers.put(new Position(r.getTopic(), r.getPartition(), in.getOffset()),
                        new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return new RecordStage<>() {
            @Override
            public Decoded<Verdict> read(InboundRecord record) {
                Decoded<Verdict> read = stage.read(record);
                if (read.isOk() && read.value() instanceof Verdict.Valid valid) {
                    String publisher = publishers.get(
                            new Position(record.topic(), record.partition(), record.offset()));
                    Optional<String> refused = refusal(publisher, valid.trigger().workspaceId());
                    if (refused.isPresent()) {
                        return Decoded.ok(new Verdict.Rejected(List.of(refused.get()),
                                List.of(refused.get()), valid.trigger().eventId(), false));
                    }
                }
                return read;
            }

            @Override
            public Uni<Void> process(List<Item<Verdict>> items) {
                return stage.process(items);
            }

            @Override
            public Uni<Void> parked(InboundRecord record, Verdict value, String reason) {
                return stage.parked(record, value, reason);
            }
        };
    }

    /** A header's text as a reason quotes it: bounded, one line (a reason also goes to the log). */
    private static String quote(String text) {
        String cut = text.length() <= MAX_QUOTE ? text : text.substring(0, MAX_QUOTE) + "…";
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private record Position(String topic, int partition, long offset) {
    }
}
