package io.engageflow.common.delivery;

import io.engageflow.contracts.json.JsonCodec;

/**
 * A record to publish: its topic, key (the contract's key of that topic) and JSON value, and the W3C trace context
 * it carries as the {@code traceparent}/{@code tracestate} headers (null when tracing is off or the record belongs to
 * no trace).
 */
public record OutboundRecord(String topic, String key, String value, String traceParent, String traceState) {

    public OutboundRecord(String topic, String key, String value) {
        this(topic, key, value, null, null);
    }

    /** The same record carrying this trace context. */
    public OutboundRecord withTrace(String parent, String state) {
        return new OutboundRecord(topic, key, value, parent, state);
    }

    /** The record's size on the wire as the broker counts it, roughly: key and value in UTF-8. */
    public int bytes() {
        return (key == null ? 0 : JsonCodec.utf8Length(key)) + (value == null ? 0 : JsonCodec.utf8Length(value));
    }

    /** Whether the record is at most {@code limit} bytes; counts them only when the length alone cannot tell. */
    public boolean fits(int limit) {
        long atMost = 3L * ((key == null ? 0 : key.length()) + (value == null ? 0 : value.length()));
        return atMost <= limit || bytes() <= limit;
    }
}
