package io.engageflow.reward;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.testsupport.CommandDriver;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_reward_test"))
class RewardActionsTest {
    private final String ws = "ws-" + UUID.randomUUID().toString().substring(0, 8);
    private final CommandDriver driver = new CommandDriver("actions.reward.commands", ws);

    @AfterEach
    void close() {
        driver.close();
    }

    private static ContactSnapshot contact(String id) {
        return new ContactSnapshot(id, id + "@example.com", null, "Ann", null, Map.of());
    }

    private void offer(String body) {
        given().contentType("application/json").body(body).post("/api/workspaces/" + ws + "/coupon-offers")
                .then().statusCode(201);
    }

    private ActionResult issue(String contactId, Map<String, Object> config) {
        return driver.run(driver.command("ContactCouponIssue", contact(contactId), config));
    }

    @Test
    void multipleCouponsComeAsArraysWithACountAndOneCouponAsSingleValues() {
        offer("{\"name\": \"10% Discount\"}");
        ActionResult three = issue("c-1", Map.of("offer", "10% Discount", "quantity", 3, "contactLimit", 5));
        assertThat(three.path()).isEqualTo("Success");
        assertThat(three.outputs()).containsEntry("coupon_count", 3);
        assertThat((List<?>) three.outputs().get("coupon_code")).hasSize(3).doesNotHaveDuplicates();
        assertThat((List<?>) three.outputs().get("coupon_id")).hasSize(3);
        assertThat((List<?>) three.outputs().get("coupon_link")).hasSize(3);

        ActionResult one = issue("c-1", Map.of("offer", "10% Discount", "quantity", "1"));
        assertThat(one.outputs().get("coupon_code")).isInstanceOf(String.class);
        assertThat(String.valueOf(one.outputs().get("coupon_link"))).endsWith((String) one.outputs().get("coupon_id"));
        given().get("/api/workspaces/" + ws + "/contacts/c-1/rewards").then().body("coupons.size()", equalTo(4));
    }

    /** The reference's coupon example (quantity 3, contact limit 5), and the same without a partial award. */
    @Test
    void theContactLimitGivesOfferLimitsExceededOrAPartialAward() {
        offer("{\"name\": \"10% Discount\"}");
        Map<String, Object> strict = Map.of("offer", "10% Discount", "quantity", 3, "contactLimit", 5);
        assertThat(issue("c-2", strict).outputs()).containsEntry("coupon_count", 3);
        ActionResult refused = issue("c-2", strict);
        assertThat(refused.path()).isEqualTo("OfferLimitsExceeded");
        assertThat(refused.error()).isNull();
        assertThat(refused.outputs()).isEqualTo(Map.of("coupon_count", 0, "requested", 3, "available", 2));

        Map<String, Object> reference = Map.of("offer", "10% Discount", "quantity", 3, "contactLimit", 5,
                "allowPartialAward", true);
        ActionResult partial = issue("c-2", reference);
        assertThat(partial.path()).isEqualTo("Success");
        assertThat(partial.outputs()).containsEntry("coupon_count", 2);
        assertThat((List<?>) partial.outputs().get("coupon_code")).hasSize(2);
        assertThat((List<?>) partial.outputs().get("coupon_id")).hasSize(2);
        assertThat((List<?>) partial.outputs().get("coupon_link")).hasSize(2);

        ActionResult full = issue("c-2", reference);
        assertThat(full.path()).isEqualTo("OfferLimitsExceeded");
        assertThat(full.error()).isNull();
        assertThat(full.outputs()).isEqualTo(Map.of("coupon_count", 0, "requested", 3, "available", 0));
        given().get("/api/workspaces/" + ws + "/contacts/c-2/rewards").then().body("coupons.size()", equalTo(5));
    }

    @Test
    void theContactLimitHoldsWhenIssuesForOneContactRunConcurrently() {
        offer("{\"name\": \"PerContact\"}");
        // distinct instances: the commands spread over the partitions and the service's consumers run them at once
        List<ActionCommand> commands = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            commands.add(driver.command("ContactCouponIssue", contact("same"), Map.of("offer", "PerContact",
                    "quantity", 1, "contactLimit", 3)));
        }
        commands.forEach(driver::send);
        List<ActionResult> results = commands.stream().map(c -> driver.awaitResult(c.commandId())).toList();
        assertThat(results).filteredOn(r -> r.path().equals("Success")).hasSize(3)
                .allSatisfy(r -> assertThat(r.outputs()).containsEntry("coupon_count", 1)
                        .containsKeys("coupon_id", "coupon_code", "coupon_link"));
        assertThat(results).filteredOn(r -> r.path().equals("OfferLimitsExceeded")).hasSize(9)
                .allSatisfy(r -> assertThat(r.outputs())
                        .isEqualTo(Map.of("coupon_count", 0, "requested", 1, "available", 0)));
        given().get("/api/workspaces/" + ws + "/contacts/same/rewards").then().body("coupons.size()", equalTo(3));
        given().get("/api/workspaces/" + ws + "/coupon-offers/PerContact").then().body("issued", equalTo(3));
    }

    /** The orchestrator resolves "{{trigger.data.count}}"; rendered inside text the number arrives as text. */
    @Test
    void aQuantityGivenAsTextIsReadAsANumberAndAFractionIsRefused() {
        offer("{\"name\": \"Variable\"}");
        ActionResult three = issue("c-var", Map.of("offer", "Variable", "quantity", "3"));
        assertThat(three.path()).isEqualTo("Success");
        assertThat(three.outputs()).containsEntry("coupon_count", 3);
        assertThat((List<?>) three.outputs().get("coupon_code")).hasSize(3).doesNotHaveDuplicates();
        ActionResult fraction = issue("c-var", Map.of("offer", "Variable", "quantity", "2.5"));
        assertThat(fraction.path()).isEqualTo("Failure");
        assertThat(fraction.error().code()).isEqualTo("InvalidConfig");
        given().get("/api/workspaces/" + ws + "/contacts/c-var/rewards").then().body("coupons.size()", equalTo(3));
    }

    @Test
    void anExpiredOfferTakesOfferExpiredAndAnUnknownOneFails() {
        offer("{\"name\": \"Old\", \"validUntil\": \"2020-01-01T00:00:00Z\"}");
        assertThat(issue("c-3", Map.of("offer", "Old", "quantity", 1)).path()).isEqualTo("OfferExpired");
        ActionResult unknown = issue("c-3", Map.of("offer", "Nope", "quantity", 1));
        assertThat(unknown.path()).isEqualTo("Failure");
        assertThat(unknown.error().code()).isEqualTo("InvalidConfig");
    }

    @Test
    void parallelIssuesNeverExceedTheOfferStockAndPooledCodesAreHandedOutOnce() {
        offer("{\"name\": \"Pool\", \"codes\": [\"A1\", \"B2\", \"C3\", \"D4\", \"E5\"]}");
        List<ActionCommand> commands = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            commands.add(driver.command("ContactCouponIssue", contact("p-" + i), Map.of("offer", "Pool",
                    "quantity", 1)));
        }
        commands.forEach(driver::send);
        List<ActionResult> results = commands.stream().map(c -> driver.awaitResult(c.commandId())).toList();
        assertThat(results).filteredOn(r -> r.path().equals("Success")).hasSize(5)
                .extracting(r -> r.outputs().get("coupon_code"))
                .containsExactlyInAnyOrder("A1", "B2", "C3", "D4", "E5");
        assertThat(results).filteredOn(r -> r.path().equals("OfferLimitsExceeded")).hasSize(7);
        given().get("/api/workspaces/" + ws + "/coupon-offers/Pool").then()
                .body("issued", equalTo(5)).body("remaining", equalTo(0));
    }

    @Test
    void aRepeatedCommandIssuesOnceAndAnswersTheSameCoupons() {
        offer("{\"name\": \"Once\"}");
        ActionCommand cmd = driver.command("ContactCouponIssue", contact("c-4"), Map.of("offer", "Once",
                "quantity", 2));
        driver.send(cmd);
        driver.send(cmd);
        Awaitility.await().until(() -> driver.resultsFor(cmd.commandId()).size() == 2);
        List<ActionResult> both = driver.resultsFor(cmd.commandId());
        assertThat(both.get(0).outputs()).isEqualTo(both.get(1).outputs());
        given().get("/api/workspaces/" + ws + "/coupon-offers/Once").then().body("issued", equalTo(2));
    }

    @Test
    void loyaltyPointsAddUpAndARedeemBeyondTheBalanceTakesInsufficientPoints() {
        ActionResult award = driver.run(driver.command("LoyaltyAwardPoints", contact("c-5"),
                Map.of("points", 50, "reason", "entry")));
        assertThat(award.outputs()).containsEntry("points_awarded", 50).containsEntry("total_points", 50);
        assertThat(driver.run(driver.command("LoyaltyAwardPoints", contact("c-5"), Map.of("points", "25")))
                .outputs()).containsEntry("total_points", 75);
        ActionResult tooMuch = driver.run(driver.command("LoyaltyRedeemPoints", contact("c-5"),
                Map.of("points", 100, "redemption", "gift")));
        assertThat(tooMuch.path()).isEqualTo("InsufficientPoints");
        assertThat(tooMuch.outputs()).containsEntry("total_points", 75);
        assertThat(driver.run(driver.command("LoyaltyRedeemPoints", contact("c-5"), Map.of("points", 70)))
                .outputs()).containsEntry("total_points", 5);
        driver.run(driver.command("LoyaltyAddToTier", contact("c-5"), Map.of("tier", "Gold")));
        driver.run(driver.command("AssignContactAchievement", contact("c-5"), Map.of("achievement", "First Entry")));
        ActionResult entries = driver.run(driver.command("AssignBonusCompetitionEntries", contact("c-5"),
                Map.of("entries", 3)));
        assertThat(entries.outputs()).containsEntry("total_entries", 3);
        ActionResult card = driver.run(driver.command("ContactVaultCardIssue", contact("c-5"),
                Map.of("cardTemplate", "member")));
        assertThat(card.outputs()).containsKeys("card_id", "card_link");
        given().get("/api/workspaces/" + ws + "/contacts/c-5/rewards").then()
                .body("points", equalTo(5)).body("tier", equalTo("Gold"))
                .body("achievements", equalTo(List.of("First Entry"))).body("entries.summer", equalTo(3))
                .body("cards.size()", equalTo(1));
    }

    /**
     * Distinct instances spread over the partitions, so the service's consumers change one contact's profile at
     * once: the first changes race to create the row, every change waits for the one before (no balance lost), and
     * no redeem takes the balance below zero.
     */
    @Test
    void concurrentPointChangesForOneContactAreAppliedOneAfterTheOther() {
        List<ActionCommand> awards = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            awards.add(driver.command("LoyaltyAwardPoints", contact("busy"), Map.of("points", 10)));
        }
        awards.forEach(driver::send);
        assertThat(awards.stream().map(c -> driver.awaitResult(c.commandId()).outputs().get("total_points")))
                .containsExactlyInAnyOrder(10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120);

        List<ActionCommand> redeems = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            redeems.add(driver.command("LoyaltyRedeemPoints", contact("busy"), Map.of("points", 25)));
        }
        redeems.forEach(driver::send);
        List<ActionResult> results = redeems.stream().map(c -> driver.awaitResult(c.commandId())).toList();
        assertThat(results).filteredOn(r -> r.path().equals("Success"))
                .extracting(r -> r.outputs().get("total_points")).containsExactlyInAnyOrder(95, 70, 45, 20);
        assertThat(results).filteredOn(r -> r.path().equals("InsufficientPoints")).hasSize(8)
                .allSatisfy(r -> assertThat(r.outputs()).isEqualTo(Map.of("total_points", 20,
                        "points_requested", 25)));
        given().get("/api/workspaces/" + ws + "/contacts/busy/rewards").then().body("points", equalTo(20));
    }

    @Test
    void anOfferNameIsTakenOnceAndAPooledCodeMustFitItsColumn() {
        offer("{\"name\": \"Taken\", \"totalLimit\": 7}");
        given().contentType("application/json").body("{\"name\": \"Taken\", \"codes\": [\"A\"]}")
                .post("/api/workspaces/" + ws + "/coupon-offers").then().statusCode(409);
        given().get("/api/workspaces/" + ws + "/coupon-offers/Taken").then()
                .body("totalLimit", equalTo(7)).body("issued", equalTo(0)).body("remaining", equalTo(7));

        given().contentType("application/json").body("{\"name\": \"Long\", \"codes\": [\"" + "X".repeat(201)
                        + "\"]}").post("/api/workspaces/" + ws + "/coupon-offers")
                .then().statusCode(400).body("details", equalTo(List.of("codes must be at most 200 characters")));
        given().get("/api/workspaces/" + ws + "/coupon-offers/Long").then().statusCode(404);
    }

    /** The reference only says "demote from tier"; removing a tier the contact is not in is Success, nothing changes. */
    /**
     * The pipeline decodes a typed action's config before the action runs: a value its record refuses is the step's
     * InvalidConfig with the value named, as the actions answered when each read its own config, and changes nothing.
     */
    @Test
    void aConfigValueTheActionsRecordRefusesIsInvalidConfigAndChangesNothing() {
        driver.run(driver.command("LoyaltyAwardPoints", contact("c-bad"), Map.of("points", 10)));
        ActionResult fraction = driver.run(driver.command("LoyaltyAwardPoints", contact("c-bad"),
                Map.of("points", "2.5")));
        assertThat(fraction.path()).isEqualTo("Failure");
        assertThat(fraction.error().code()).isEqualTo("InvalidConfig");
        assertThat(fraction.error().message()).isEqualTo("points must be a whole number above 0, got 2.5");
        ActionResult none = driver.run(driver.command("LoyaltyRedeemPoints", contact("c-bad"), Map.of("points", 0)));
        assertThat(none.error().message()).isEqualTo("points must be a whole number above 0, got 0");
        ActionResult blank = driver.run(driver.command("AssignContactAchievement", contact("c-bad"),
                Map.of("achievement", " ")));
        assertThat(blank.error().code()).isEqualTo("InvalidConfig");
        assertThat(blank.error().message()).isEqualTo("achievement is required");
        ActionResult entries = driver.run(driver.command("AssignBonusCompetitionEntries", contact("c-bad"),
                Map.of("entries", "many")));
        assertThat(entries.error().message()).isEqualTo("entries must be a whole number above 0, got many");
        given().get("/api/workspaces/" + ws + "/contacts/c-bad/rewards").then().body("points", equalTo(10));
    }

    /**
     * What an action refuses itself, in the config the pipeline decoded for it: a score that is no number, entries for
     * no competition (neither the config nor the trigger names one), a contact limit below zero. Each is the step's
     * InvalidConfig naming the value as it was sent, and gives the contact nothing.
     */
    @Test
    void aConfigTheActionsOwnRuleRefusesIsInvalidConfigNamingTheValueAsSent() {
        ActionResult score = driver.run(driver.command("AssignGameplayScore", contact("c-rule"),
                Map.of("score", "lots", "context", "level 2")));
        assertThat(score.path()).isEqualTo("Failure");
        assertThat(score.error().code()).isEqualTo("InvalidConfig");
        assertThat(score.error().message()).isEqualTo("score must be a number, got lots");

        ActionCommand plain = driver.command("AssignBonusCompetitionEntries", contact("c-rule"), Map.of("entries", 2));
        TriggerEvent t = plain.trigger();
        TriggerEvent noCompetition = new TriggerEvent(t.eventId(), t.type(), ws, t.occurredAt(), t.contact(),
                Map.of("entryId", "e-1"), null);
        ActionResult entries = driver.run(new ActionCommand(plain.commandId(), plain.instanceId(), plain.stepId(), 1,
                ws, plain.action(), plain.config(), plain.contact(), noCompetition, plain.deadline(), Map.of()));
        assertThat(entries.error().code()).isEqualTo("InvalidConfig");
        assertThat(entries.error().message()).isEqualTo("no competitionId in the config or the trigger");

        offer("{\"name\": \"Limited\"}");
        ActionResult limit = issue("c-rule", Map.of("offer", "Limited", "quantity", 1, "contactLimit", "-1"));
        assertThat(limit.error().code()).isEqualTo("InvalidConfig");
        assertThat(limit.error().message()).isEqualTo("contactLimit must be a whole number of 0 or more, got -1");
        assertThat(issue("c-rule", Map.of("offer", " ", "quantity", 1)).error().message())
                .isEqualTo("offer is required");
        given().get("/api/workspaces/" + ws + "/contacts/c-rule/rewards").then()
                .body("coupons", equalTo(List.of())).body("entries", equalTo(Map.of()))
                .body("scores", equalTo(List.of()));
    }

    @Test
    void loyaltyRemoveFromTierTakesTheContactOutOfThatTierOnly() {
        driver.run(driver.command("LoyaltyAddToTier", contact("c-tier"), Map.of("tier", "Gold")));
        ActionResult other = removeTier("c-tier", "Silver");
        assertThat(other.path()).isEqualTo("Success");
        assertThat(other.error()).isNull();
        assertThat(other.outputs()).isEqualTo(Map.of("removed", false));
        given().get("/api/workspaces/" + ws + "/contacts/c-tier/rewards").then().body("tier", equalTo("Gold"));

        ActionResult removed = removeTier("c-tier", "Gold");
        assertThat(removed.path()).isEqualTo("Success");
        assertThat(removed.outputs()).isEqualTo(Map.of("removed", true));
        given().get("/api/workspaces/" + ws + "/contacts/c-tier/rewards").then().body("tier", nullValue());

        assertThat(removeTier("c-tier", "Gold").outputs()).isEqualTo(Map.of("removed", false));
        ActionResult stranger = removeTier("c-new", "Gold");
        assertThat(stranger.path()).isEqualTo("Success");
        assertThat(stranger.outputs()).isEqualTo(Map.of("removed", false));
        given().get("/api/workspaces/" + ws + "/contacts/c-new/rewards").then().body("tier", nullValue());
    }

    private ActionResult removeTier(String contactId, String tier) {
        return driver.run(driver.command("LoyaltyRemoveFromTier", contact(contactId), Map.of("tier", tier)));
    }

    @Test
    void gameplayFilterAndEntryTagsUseTheTriggersGameplay() {
        ActionCommand filter = driver.command("GameplayFilter", contact("c-6"),
                Map.of("condition", "trigger.data.competitionId == 'summer'"));
        assertThat(driver.run(filter).path()).isEqualTo("Success");
        ActionResult tagged = driver.run(driver.command("CompetitionEntryAddTags", contact("c-6"),
                Map.of("tags", List.of("winner", "vip"))));
        assertThat(tagged.outputs()).containsEntry("tags", List.of("winner", "vip"));
        ActionResult untagged = driver.run(driver.command("CompetitionEntryRemoveTags", contact("c-6"),
                Map.of("tags", "vip")));
        assertThat(untagged.outputs()).containsEntry("tags", List.of("winner"));
        assertThat(driver.run(driver.command("AssignGameplayScore", contact("c-6"),
                Map.of("score", 120, "context", "level 1"))).path()).isEqualTo("Success");
    }

    @Test
    void aGameplayFilterPastItsCostLimitFailsWithConditionErrorAndTheCommandBehindItRuns() {
        // 300 by 300 is 90,000 iterations: the filter stops at 10,000 and answers
        String list = "[" + "1,".repeat(299) + "1]";
        ActionCommand costly = driver.command("GameplayFilter", contact("c-7"),
                Map.of("condition", list + ".all(x, " + list + ".all(y, x == y))"));
        // the same instance, so the same key and partition, read after the costly one
        ActionCommand behind = new ActionCommand(costly.instanceId() + ":s2:1", costly.instanceId(), "s2", 1, ws,
                "GameplayFilter", Map.of("condition", "trigger.data.competitionId == 'summer'"), costly.contact(),
                costly.trigger(), costly.deadline(), Map.of());
        driver.send(costly);
        driver.send(behind);

        ActionResult refused = driver.awaitResult(costly.commandId());
        assertThat(refused.path()).isEqualTo("Failure");
        assertThat(refused.error().code()).isEqualTo("ConditionError");
        assertThat(refused.error().message()).isEqualTo("condition exceeded its cost limit: more than 10000"
                + " iterations of all, exists, exists_one, map and filter in one evaluation");
        assertThat(driver.awaitResult(behind.commandId()).path()).isEqualTo("Success");
    }
}
