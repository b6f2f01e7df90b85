package io.engageflow.contracts.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The one JSON configuration every service uses for messages: ISO-8601 instants, unknown fields ignored (producers
 * may add fields), and decode methods that return errors instead of throwing so a bad record can be rejected with
 * a reason rather than wedge a consumer.
 */
public final class JsonCodec {
    /** Largest record we accept; bigger ones are rejected, not parsed. */
    public static final int MAX_RECORD_CHARS = 1_000_000;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
    }

    private JsonCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Reads a record in one pass (no tree in between: this is every consumer's hot path). */
    public static <T> Decoded<T> decode(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            return Decoded.failed("empty record");
        }
        if (json.length() > MAX_RECORD_CHARS) {
            return Decoded.failed("record too large: " + json.length() + " characters, limit " + MAX_RECORD_CHARS);
        }
        try {
            T value = MAPPER.readValue(json, type);
            return value == null ? Decoded.failed("not a valid " + type.getSimpleName() + ": null")
                    : Decoded.ok(value);
        } catch (com.fasterxml.jackson.core.exc.StreamReadException e) {
            return Decoded.failed("malformed JSON: " + shortMessage(e));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Decoded.failed("not a valid " + type.getSimpleName() + ": " + shortMessage(e));
        }
    }

    /** Parses a JSON document into a tree; errors for null, empty, oversized or malformed text. */
    public static Decoded<JsonNode> parse(String json) {
        if (json == null || json.isBlank()) {
            return Decoded.failed("empty record");
        }
        if (json.length() > MAX_RECORD_CHARS) {
            return Decoded.failed("record too large: " + json.length() + " characters, limit " + MAX_RECORD_CHARS);
        }
        try {
            return Decoded.ok(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            return Decoded.failed("malformed JSON: " + shortMessage(e));
        }
    }

    public static <T> Decoded<T> fromTree(JsonNode node, Class<T> type) {
        try {
            return Decoded.ok(MAPPER.treeToValue(node, type));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Decoded.failed("not a valid " + type.getSimpleName() + ": " + shortMessage(e));
        }
    }

    public static String encode(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON object (from the database or a record) as a plain map; empty for null. */
    public static Map<String, Object> toMap(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stored JSON (written by us) as a generic type, e.g. a list of strings. */
    public static <T> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Length of the text in UTF-8 bytes, as the broker counts it, without encoding it. */
    public static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String shortMessage(Exception e) {
        String m = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
