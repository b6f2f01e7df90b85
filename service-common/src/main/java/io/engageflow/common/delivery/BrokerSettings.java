package io.engageflow.common.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The {@code kafka.*} settings Quarkus passes on (servers, security) that a given kind of Kafka client understands. */
public final class BrokerSettings {
    private BrokerSettings() {
    }

    /** Of {@code broker}, the entries named in {@code configNames} plus every SASL, SSL and security setting. */
    public static Map<String, Object> forClient(Map<String, Object> broker, Set<String> configNames) {
        Map<String, Object> settings = new HashMap<>();
        broker.forEach((k, v) -> {
            if (configNames.contains(k) || k.startsWith("sasl.") || k.startsWith("ssl.") || k.equals("security.protocol")) {
                settings.put(k, v);
            }
        });
        return settings;
    }
}
