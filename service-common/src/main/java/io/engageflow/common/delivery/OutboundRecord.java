package io.engageflow.common.delivery;

import java.nio.charset.StandardCharsets;

/** A record to publish: its topic, key (the contract's key of that topic) and JSON value. */
public record OutboundRecord(String topic, String key, String value) {

    /** The record's size on the wire as the broker counts it, roughly: key and value in UTF-8. */
    public int bytes() {
        return (key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length)
                + (value == null ? 0 : value.getBytes(StandardCharsets.UTF_8).length);
    }
}
