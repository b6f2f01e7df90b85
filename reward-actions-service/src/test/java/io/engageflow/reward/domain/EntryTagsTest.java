package io.engageflow.reward.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EntryTagsTest {
    @Test
    void tagsAreHeldOnceInTheOrderFirstAddedAndRemovingAnAbsentTagChangesNothing() {
        EntryTags tags = new EntryTags("e-1", List.of()).add(List.of("winner", "vip", "winner"));
        assertThat(tags.tags()).containsExactly("winner", "vip");
        assertThat(tags.add(List.of("vip", "early")).tags()).containsExactly("winner", "vip", "early");
        assertThat(tags.remove(List.of("vip", "absent")).tags()).containsExactly("winner");
    }
}
