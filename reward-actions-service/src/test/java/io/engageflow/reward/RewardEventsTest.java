package io.engageflow.reward;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.Causation;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The platform events of reward actions, read from {@code triggers.inbound}. That nothing more was published is proven
 * with a marker: a later command for the same contact that does fire an event (one key, one partition, published in
 * commit order), so once the marker's event is there any wrongful event before it would be too.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_reward_test"))
class RewardEventsTest extends RewardEventsSupport {
    private static ContactSnapshot contact(String id) {
        return new ContactSnapshot(id, id + "@example.com", null, "Ann", null, Map.of("city", "Oslo"));
    }

    @Test
    void pointsAwardedAndRedeemedCarryThePointsTheBalanceAndTheReason() {
        ContactSnapshot ann = contact("c-points-" + UUID.randomUUID());
        ActionCommand award = driver.command("LoyaltyAwardPoints", ann, Map.of("points", 100, "reason", "welcome"));
        run(award);
        run(driver.command("LoyaltyAwardPoints", ann, Map.of("points", 50)));
        run(driver.command("LoyaltyRedeemPoints", ann, Map.of("points", 30, "redemption", "tote bag")));
        // a balance of 120 cannot give 500: InsufficientPoints changes nothing and fires nothing
        assertThat(driver.run(driver.command("LoyaltyRedeemPoints", ann, Map.of("points", 500, "redemption", "car")))
                .path()).isEqualTo("InsufficientPoints");

        List<TriggerEvent> events = eventsUntilMarker(ann);
        Map<String, Object> noReason = new HashMap<>();
        noReason.put("points", 50);
        noReason.put("total_points", 150);
        noReason.put("reason", null);
        assertThat(events).extracting(TriggerEvent::type, TriggerEvent::data).containsExactly(
                Tuple.tuple("Loyalty.PointsAwarded", Map.of("points", 100, "total_points", 100, "reason", "welcome")),
                Tuple.tuple("Loyalty.PointsAwarded", noReason),
                Tuple.tuple("Loyalty.PointsRedeemed", Map.of("points", 30, "total_points", 120,
                        "reason", "tote bag")));
        TriggerEvent first = events.get(0);
        assertThat(first.workspaceId()).isEqualTo(ws);
        assertThat(first.eventId()).isEqualTo(UUID.nameUUIDFromBytes((award.commandId()
                + "\nLoyalty.PointsAwarded\n").getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(first.causation()).isEqualTo(new Causation(award.trigger().eventId(), award.instanceId(), "s1", 1));
        // the command's contact without its properties: this service does not know their current values
        assertThat(first.contact()).isEqualTo(new ContactSnapshot(ann.id(), ann.email(), null, "Ann", null, Map.of()));
        ConsumerRecord<String, String> record = published.recordsOf(ann.id()).stream()
                .filter(r -> r.value().contains(first.eventId())).findFirst().orElseThrow();
        assertThat(record.key()).isEqualTo(ann.id());
        assertThat(new String(record.headers().lastHeader("engageflow-publisher").value(), StandardCharsets.UTF_8))
                .isEqualTo("reward-actions-service");
    }

    @Test
    void aTierChangeFiresTierChangedWithFromAndToAndTheSameTierAgainFiresNothing() {
        ContactSnapshot ann = contact("c-tier-" + UUID.randomUUID());
        run(driver.command("LoyaltyAddToTier", ann, Map.of("tier", "Silver")));
        run(driver.command("LoyaltyAddToTier", ann, Map.of("tier", "Gold")));
        run(driver.command("LoyaltyAddToTier", ann, Map.of("tier", "Gold")));
        run(driver.command("LoyaltyRemoveFromTier", ann, Map.of("tier", "Silver"))); // not in it
        run(driver.command("LoyaltyRemoveFromTier", ann, Map.of("tier", "Gold")));

        Map<String, Object> fromNone = new HashMap<>();
        fromNone.put("from", null);
        fromNone.put("to", "Silver");
        Map<String, Object> toNone = new HashMap<>();
        toNone.put("from", "Gold");
        toNone.put("to", null);
        assertThat(eventsUntilMarker(ann)).extracting(TriggerEvent::type, TriggerEvent::data).containsExactly(
                Tuple.tuple("Loyalty.TierChanged", fromNone),
                Tuple.tuple("Loyalty.TierChanged", Map.of("from", "Silver", "to", "Gold")),
                Tuple.tuple("Loyalty.TierChanged", toNone));
    }

    @Test
    void couponsIssuedFireCouponIssuedWithTheOfferAndCountAndARefusalFiresNothing() {
        given().contentType("application/json").body("{\"name\": \"Spring\", \"totalLimit\": 3}")
                .post("/api/workspaces/" + ws + "/coupon-offers").then().statusCode(201);
        ContactSnapshot ann = contact("c-coupon-" + UUID.randomUUID());
        run(driver.command("ContactCouponIssue", ann, Map.of("offer", "Spring", "quantity", 3)));
        assertThat(driver.run(driver.command("ContactCouponIssue", ann, Map.of("offer", "Spring"))).path())
                .isEqualTo("OfferLimitsExceeded");

        assertThat(eventsUntilMarker(ann)).extracting(TriggerEvent::type, TriggerEvent::data)
                .containsExactly(Tuple.tuple("Coupon.Issued", Map.of("offer", "Spring", "count", 3)));
    }

    @Test
    void aNewAchievementFiresAchievementAssignedOnce() {
        ContactSnapshot ann = contact("c-badge-" + UUID.randomUUID());
        run(driver.command("AssignContactAchievement", ann, Map.of("achievement", "First Win")));
        run(driver.command("AssignContactAchievement", ann, Map.of("achievement", "First Win")));

        assertThat(eventsUntilMarker(ann)).extracting(TriggerEvent::type, TriggerEvent::data)
                .containsExactly(Tuple.tuple("Achievement.Assigned", Map.of("achievement", "First Win")));
    }

    @Test
    void aCommandDeliveredAgainFiresNothingAgain() {
        ContactSnapshot ann = contact("c-again-" + UUID.randomUUID());
        ActionCommand award = driver.command("LoyaltyAwardPoints", ann, Map.of("points", 10, "reason", "r"));
        run(award);
        driver.send(award);
        Awaitility.await().atMost(WAIT).until(() -> driver.resultsFor(award.commandId()).size() == 2);

        assertThat(eventsUntilMarker(ann)).extracting(TriggerEvent::type).containsExactly("Loyalty.PointsAwarded");
    }

    @Test
    void anEventCausedByACausedTriggerKeepsItsRootAndGoesOneDeeper() {
        ContactSnapshot ann = contact("c-chain-" + UUID.randomUUID());
        ActionCommand command = driver.causedCommand("LoyaltyAwardPoints", ann, Map.of("points", 5, "reason", "chain"),
                "award", new Causation("root-9", "i-before", "add", 4));
        run(command);

        assertThat(eventsUntilMarker(ann)).singleElement().satisfies(e -> assertThat(e.causation())
                .isEqualTo(new Causation("root-9", command.instanceId(), "award", 5)));
    }

    private void run(ActionCommand command) {
        assertThat(driver.run(command).path()).isEqualTo("Success");
    }

    /** The contact's events before a marker event fired after them (so none can still be on the way). */
    private List<TriggerEvent> eventsUntilMarker(ContactSnapshot contact) {
        return published.eventsBeforeMarker(contact.id(), "achievement",
                marker -> run(driver.command("AssignContactAchievement", contact, Map.of("achievement", marker))));
    }

    private List<TriggerEvent> eventsOf(ContactSnapshot contact) {
        return published.eventsOf(contact.id());
    }
}
