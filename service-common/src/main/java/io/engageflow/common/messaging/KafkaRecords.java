package io.engageflow.common.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Outgoing records with the key (and, for one shared channel, the topic) the contract gives each topic. */
public final class KafkaRecords {
    private KafkaRecords() {
    }

    public static Message<String> keyed(String key, String payload) {
        return Message.of(payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
    }

    public static Message<String> toTopic(String topic, String key, String payload) {
        return Message.of(payload).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withTopic(topic).withKey(key).build());
    }
}
