package io.engageflow.trigger.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limits measure what the broker and PostgreSQL will hold: the value's JSON text in UTF-8, as it is sent on. */
class JsonShapeTest {

    @Test
    void sizeIsTheBytesOfTheJsonTextAsForwarded() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("plain", "Oslo");
        value.put("accents", "Ærø é"); // 2 bytes each in UTF-8
        value.put("emoji", "🎉 party"); // a surrogate pair: 4 bytes
        value.put("escapes", "say \"hi\"\\ \n\t\u0001"); // two-character escapes and a six-character one
        value.put("numbers", List.of(1, -2.5, 12345678901L, 1.0E9));
        value.put("flags", Arrays.asList(true, false, null));
        value.put("nested", Map.of("k", Map.of("é", List.of())));
        value.put("empty", Map.of());

        JsonShape shape = JsonShape.of(value);

        assertThat(shape.bytes()).isEqualTo(JsonCodec.encode(value).getBytes(StandardCharsets.UTF_8).length);
        assertThat(shape.hasNul()).isFalse();
    }

    @Test
    void depthCountsObjectsAndArraysAndScalarsAddNone() {
        assertThat(JsonShape.of("text").depth()).isZero();
        assertThat(JsonShape.of(Map.of("a", 1)).depth()).isEqualTo(1);
        assertThat(JsonShape.of(Map.of("a", List.of(Map.of("b", List.of(1))))).depth()).isEqualTo(4);
        assertThat(JsonShape.of(List.of(List.of(), Map.of("a", Map.of("b", Map.of())))).depth()).isEqualTo(4);
    }

    @Test
    void aNulCharacterAnywhereIsFoundInValuesAndNames() {
        assertThat(JsonShape.of(Map.of("a", List.of("x", "y\u0000"))).hasNul()).isTrue();
        assertThat(JsonShape.of(Map.of("k\u0000", 1)).hasNul()).isTrue();
        assertThat(JsonShape.of(Map.of("a", "\u0001")).hasNul()).isFalse();
    }
}
