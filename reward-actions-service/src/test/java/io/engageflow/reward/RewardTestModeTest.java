package io.engageflow.reward;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Commands of a test run ({@code test: true}, CONTRACT.md "Runs an admin can act on"): rewards are not performed —
 * no coupon leaves its offer, no points are awarded, no platform event fires — and the answer says what would have
 * been done; a gameplay filter runs for real. That no event fired is proven with a marker: a later real command's
 * event for the same contact, published after anything the test command would have published.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_reward_test"))
class RewardTestModeTest extends RewardEventsSupport {
    private static ContactSnapshot contact() {
        String id = "c-" + UUID.randomUUID();
        return new ContactSnapshot(id, id + "@example.com", null, "Ann", null, Map.of());
    }

    /** The same command as a test run's. */
    private static ActionCommand test(ActionCommand c) {
        return new ActionCommand(c.commandId(), c.instanceId(), c.stepId(), c.attempt(), c.workspaceId(), c.action(),
                c.config(), c.contact(), c.trigger(), c.deadline(), c.steps(), true);
    }

    @Test
    void aTestCouponIssueTakesNoCouponFromTheOfferAndFiresNoCouponIssued() {
        given().contentType("application/json").body("{\"name\": \"Three\", \"totalLimit\": 3}")
                .post("/api/workspaces/" + ws + "/coupon-offers").then().statusCode(201);
        ContactSnapshot ann = contact();
        ActionCommand issue = test(driver.command("ContactCouponIssue", ann, Map.of("offer", "Three",
                "quantity", 2)));
        driver.send(issue);
        driver.send(issue); // delivered again: answered from its record
        Awaitility.await().atMost(WAIT).until(() -> driver.resultsFor(issue.commandId()).size() == 2);

        assertThat(driver.resultsFor(issue.commandId())).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("Success");
            assertThat(r.error()).isNull();
            // what the real issue would have used, the catalog's defaults filled in
            assertThat(r.outputs()).isEqualTo(Map.of("test", true, "wouldSend", Map.of("offer", "Three",
                    "quantity", 2, "allowPartialAward", false)));
        });
        given().get("/api/workspaces/" + ws + "/coupon-offers/Three").then()
                .body("issued", equalTo(0)).body("remaining", equalTo(3));
        given().get("/api/workspaces/" + ws + "/contacts/" + ann.id() + "/rewards").then()
                .body("coupons", empty());
        assertThat(eventsUntilMarker(ann)).isEmpty();

        // the offer's three coupons are all still there for a real run
        ActionResult real = driver.run(driver.command("ContactCouponIssue", ann, Map.of("offer", "Three",
                "quantity", 3)));
        assertThat(real.path()).isEqualTo("Success");
        assertThat(real.outputs()).containsEntry("coupon_count", 3);
    }

    @Test
    void aTestLoyaltyAwardAwardsNoPointsAndFiresNoPointsAwarded() {
        ContactSnapshot ann = contact();
        ActionResult award = driver.run(test(driver.command("LoyaltyAwardPoints", ann,
                Map.of("points", 50, "reason", "entry"))));
        assertThat(award.path()).isEqualTo("Success");
        assertThat(award.outputs()).isEqualTo(Map.of("test", true, "wouldSend",
                Map.of("points", 50, "reason", "entry")));
        given().get("/api/workspaces/" + ws + "/contacts/" + ann.id() + "/rewards").then().body("points", equalTo(0));
        assertThat(eventsUntilMarker(ann)).isEmpty();

        // a real award afterwards starts from nothing
        ActionResult real = driver.run(driver.command("LoyaltyAwardPoints", ann, Map.of("points", 10)));
        assertThat(real.outputs()).containsEntry("points_awarded", 10).containsEntry("total_points", 10);
    }

    @Test
    void aTestGameplayFilterEvaluatesForReal() {
        ContactSnapshot ann = contact();
        ActionResult holds = driver.run(test(driver.command("GameplayFilter", ann,
                Map.of("condition", "trigger.data.competitionId == 'summer'"))));
        assertThat(holds.path()).isEqualTo("Success");
        assertThat(holds.outputs()).isEqualTo(Map.of("condition", "trigger.data.competitionId == 'summer'"));
        ActionResult fails = driver.run(test(driver.command("GameplayFilter", ann,
                Map.of("condition", "trigger.data.competitionId == 'winter'"))));
        assertThat(fails.path()).isEqualTo("Failure");
        assertThat(fails.error().code()).isEqualTo("ConditionNotMet");
    }

    /** The contact's events before a marker event fired after them (so none can still be on the way). */
    private List<TriggerEvent> eventsUntilMarker(ContactSnapshot contact) {
        return published.eventsBeforeMarker(contact.id(), "achievement", marker -> assertThat(driver.run(
                driver.command("AssignContactAchievement", contact, Map.of("achievement", marker))).path())
                .isEqualTo("Success"));
    }
}
