package io.engageflow.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.json.JsonCodec;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CausationTest {
    private static final TriggerEvent OUTSIDE = new TriggerEvent("e-root", "Competition.EntrySubmitted", "acme",
            Instant.parse("2026-11-25T10:00:00Z"), ContactSnapshot.ofId("c-1"), Map.of("score", 120));

    @Test
    void anEventCausedByAnInstanceOfAnOutsideTriggerHasDepthOneAndThatTriggerAsItsRoot() {
        assertThat(Causation.causedBy(OUTSIDE, "i-1", "award"))
                .isEqualTo(new Causation("e-root", "i-1", "award", 1));
        assertThat(Causation.depthOf(OUTSIDE.causation())).isZero();
    }

    @Test
    void anEventCausedByACausedTriggerKeepsTheRootAndGoesOneDeeper() {
        TriggerEvent caused = new TriggerEvent("e-3", "Loyalty.PointsAwarded", "acme", Instant.now(),
                ContactSnapshot.ofId("c-1"), Map.of(), new Causation("e-root", "i-2", "s", 3));
        assertThat(Causation.causedBy(caused, "i-3", "tier")).isEqualTo(new Causation("e-root", "i-3", "tier", 4));
    }

    @Test
    void causationTravelsInTheTriggersJsonAndSurvivesTheCopiesTheServicesMake() {
        TriggerEvent caused = new TriggerEvent("e-3", "Contact.ListAdded", "acme",
                Instant.parse("2026-11-25T10:00:01Z"), ContactSnapshot.ofId("c-1"), Map.of("list", "VIP"),
                new Causation("e-root", "i-2", "add", 2));
        String json = JsonCodec.encode(caused);
        assertThat(JsonCodec.parse(json).value().get("causation").toString())
                .isEqualTo("{\"rootEventId\":\"e-root\",\"instanceId\":\"i-2\",\"stepId\":\"add\",\"depth\":2}");
        TriggerEvent read = JsonCodec.decode(json, TriggerEvent.class).value();
        assertThat(read).isEqualTo(caused);
        // trigger-service normalises type, workspace and time; the orchestrator puts the trigger in a command
        // without its contact: none of them may drop the causation
        assertThat(read.withType("Contact.ListAdded").withWorkspaceAndTime("acme", Instant.now()).withContact(null)
                .causation()).isEqualTo(caused.causation());
        assertThat(JsonCodec.encode(OUTSIDE)).doesNotContain("causation");
    }

    @Test
    void theContractsPlatformEventsAreKnownTriggerTypes() {
        assertThat(TriggerTypes.PLATFORM_EVENTS).containsExactlyInAnyOrder("Contact.ListAdded",
                "Contact.ListRemoved", "Contact.PropertyUpdated", "Contact.TagAdded", "Loyalty.PointsAwarded",
                "Loyalty.PointsRedeemed", "Loyalty.TierChanged", "Coupon.Issued", "Achievement.Assigned");
        assertThat(TriggerTypes.PLATFORM_EVENTS).allSatisfy(type ->
                assertThat(TriggerTypes.canonical(type)).contains(type));
    }
}
