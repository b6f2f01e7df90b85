package io.engageflow.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.testsupport.KafkaBroker;
import io.restassured.http.ContentType;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The product reference's examples run as a user would: definitions over the orchestrator's admin API, triggers
 * over trigger-service's HTTP API, effects checked where a user sees them (inbox, data APIs, webhook, SMS provider).
 *
 * <p>Every pattern of the reference (workflow-actions-reference.txt) → its definition in deploy/examples → its test:
 * <table>
 *   <caption>Reference patterns</caption>
 *   <tr><th>pattern</th><th>example</th><th>test</th></tr>
 *   <tr><td>How Actions Work (Data Captured → filter → email or "Incomplete Data")</td>
 *     <td>data-captured-welcome.json</td><td>dataCapturedValidEmailGetsTheEmailAndInvalidOneLandsInIncompleteData</td></tr>
 *   <tr><td>Example: Issue Multiple Coupons</td><td>competition-coupons.json</td>
 *     <td>competitionCouponsAreIssuedEmailedAndPointsAwarded, competitionCouponsTakeTheLimitPath…,
 *     couponQuantityTakenFromTheTrigger…</td></tr>
 *   <tr><td>Example: Gift card reward workflow</td><td>gift-card-reward.json</td>
 *     <td>giftCardRewardSendsALocalCardOrAStandardNotice</td></tr>
 *   <tr><td>Example: Lead to CRM Flow</td><td>lead-to-crm.json</td>
 *     <td>leadToCrmCreatesTheLeadTagsTheContactAndTellsSales</td></tr>
 *   <tr><td>Example: Email List Sync (Contact.ListAdded "Newsletter Subscribers")</td><td>email-list-sync.json</td>
 *     <td>emailListSyncUpsertsTagsAndMarksTheContact; as a chain: aListAddedByOneWorkflowStartsEmailListSync…</td></tr>
 *   <tr><td>Example: Engagement Bonus System</td><td>engagement-bonus.json</td>
 *     <td>engagementBonusGivesEntriesTagsAndPoints</td></tr>
 *   <tr><td>Example: Tier Progression System (Loyalty.PointsAwarded)</td><td>tier-progression.json</td>
 *     <td>tierProgressionPromotesToGoldOrRecordsProgressThenConfirms; as a chain:
 *     pointsAwardedByNewMemberStartTierProgressionAndSmartListManagement</td></tr>
 *   <tr><td>Example: Custom Webhook Integration</td><td>custom-webhook.json</td>
 *     <td>customWebhookRequestsFulfilmentOrParksTheContact</td></tr>
 *   <tr><td>Best practice: Design for Success and Failure</td><td>crm-success-and-failure.json</td>
 *     <td>crmDesignedForSuccessAndFailureConfirmsTheLeadOrParksTheContactAndAlertsIt</td></tr>
 *   <tr><td>Best practice: Use Descriptive Names</td><td>the {@code name} of each step of the examples</td>
 *     <td>crmDesignedForSuccessAndFailure… (the stored definition keeps the names)</td></tr>
 *   <tr><td>Best practice: Validate Data Before Actions (filter on the email's format)</td>
 *     <td>data-captured-welcome.json (its Failure list is "Incomplete Data", the list of How Actions Work)</td>
 *     <td>dataCapturedValidEmailGetsTheEmailAndInvalidOneLandsInIncompleteData</td></tr>
 *   <tr><td>Best practice: Chain related actions (New Member Workflow)</td><td>new-member.json</td>
 *     <td>newMemberIsActivatedListedRewardedAndWelcomedInOneRun</td></tr>
 *   <tr><td>Advanced pattern 1: Progressive Data Collection</td><td>progressive-data-collection.json</td>
 *     <td>progressiveDataCollectionAsksForTheRestOrStampsTheCompletionDate</td></tr>
 *   <tr><td>Advanced pattern 2: Smart List Management</td><td>smart-list-management.json</td>
 *     <td>smartListManagementMovesAContactFromStandardToVipAt500Points</td></tr>
 *   <tr><td>Advanced pattern 3: Multi-Channel Notifications (Split: email, SMS, webhook)</td>
 *     <td>multi-channel-prize.json</td><td>multiChannelPrizeNotifiesByEmailSmsAndTheTeamsWebhookAtOnce</td></tr>
 *   <tr><td>Troubleshooting: duplicate actions from duplicate triggers or loops</td><td>—</td>
 *     <td>the repeated trigger of dataCapturedValidEmail…; aWorkflowThatTriggersItselfIsStoppedByTheLoopGuard…</td></tr>
 *   <tr><td>Performance: early filtering</td><td>the trigger conditions of competition-coupons.json and
 *     email-list-sync.json</td><td>competitionCouponsAreIssued…, emailListSync… (skipped-by-condition counter)</td></tr>
 * </table>
 * Chains run on the platform events the action services publish (CONTRACT.md, "Platform events"); their tests read
 * each caused trigger's causation on workflow.triggers and the loop guard's refusal on triggers.rejected.
 */
@SuppressWarnings("unchecked")
class ReferenceExamplesE2ETest {
    static GreenMail smtp;
    static WireMockServer webhook;
    static Mesh mesh;
    static final String SMS_ACCOUNT = "AC0e2e";
    static final String SMS_TOKEN = "sms-token";
    static final String SMS_FROM = "+15550001111";
    static final String SMS_PATH = "/2010-04-01/Accounts/" + SMS_ACCOUNT + "/Messages.json";
    final String ws = "e2e-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() throws Exception {
        int smtpPort = Mesh.freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        webhook = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        webhook.start();
        // the SMS provider (Twilio's Messages API) is the WireMock peer too
        mesh = new Mesh(smtpPort, KafkaBroker.bootstrapServers(), Map.of("contact-actions-service", Map.of(
                "engageflow.sms.base-url", "http://127.0.0.1:" + webhook.port(),
                "engageflow.sms.account-sid", SMS_ACCOUNT,
                "engageflow.sms.auth-token", SMS_TOKEN,
                "engageflow.sms.from", SMS_FROM)));
    }

    @AfterAll
    static void stop() {
        if (mesh != null) {
            mesh.close();
        }
        smtp.stop();
        webhook.stop();
    }

    @Test
    void dataCapturedValidEmailGetsTheEmailAndInvalidOneLandsInIncompleteData() throws Exception {
        activate(Files.readString(example("data-captured-welcome.json")), "welcome");
        String annEmail = "ann-" + ws + "@example.com";
        trigger(Map.of("eventId", "t-ann", "type", "DataCaptured",
                "contact", Map.of("id", "c-ann", "email", annEmail, "firstName", "Ann")));
        trigger(Map.of("eventId", "t-bob", "type", "DataCaptured",
                "contact", Map.of("id", "c-bob", "email", "bob-at-nowhere", "firstName", "Bob")));

        Map<String, Object> ann = awaitCompleted("c-ann");
        assertThat(stepPaths(ann)).containsExactly("valid_email=Success", "welcome_email=Success");
        Map<String, Object> bob = awaitCompleted("c-bob");
        assertThat(stepPaths(bob)).containsExactly("valid_email=Failure", "incomplete_list=Success");

        List<MimeMessage> inbox = Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> Arrays.stream(smtp.getReceivedMessages()).filter(m -> to(m).equals(annEmail)).toList(),
                list -> !list.isEmpty());
        assertThat(inbox).hasSize(1);
        assertThat(inbox.get(0).getSubject()).isEqualTo("Welcome, Ann!");
        assertThat(String.valueOf(inbox.get(0).getContent())).contains("Hi Ann, thanks for signing up.");
        given().get(mesh.url("contact-actions-service") + "/api/workspaces/" + ws + "/lists/Incomplete Data/members")
                .then().statusCode(200).body("$", org.hamcrest.Matchers.equalTo(List.of("c-bob")));

        // the same trigger again is answered as a duplicate and starts nothing; a later trigger of the same contact
        // (the same partition, read after it) marks that the orchestrator got past it
        trigger(Map.of("eventId", "t-ann", "type", "DataCaptured", "contact", Map.of("id", "c-ann")), 200);
        trigger(Map.of("eventId", "t-ann-later", "type", "DataCaptured",
                "contact", Map.of("id", "c-ann", "email", annEmail, "firstName", "Ann")));
        assertThat(stepPaths(awaitEnded("c-ann", "t-ann-later")))
                .containsExactly("valid_email=Success", "welcome_email=Success");
        assertThat(instances("c-ann")).extracting(i -> i.get("triggerEventId"))
                .containsExactlyInAnyOrder("t-ann", "t-ann-later");
    }

    @Test
    void competitionCouponsAreIssuedEmailedAndPointsAwarded() throws Exception {
        createOffer(Map.of("name", "10% Discount", "totalLimit", 100));
        activate(Files.readString(example("competition-coupons.json")), "coupons");
        double skipped = triggersSkippedByCondition();
        String email = "cara-" + ws + "@example.com";
        trigger(Map.of("eventId", "t-cara", "type", "Competition.EntrySubmitted",
                "contact", Map.of("id", "c-cara", "email", email, "firstName", "Cara"),
                "data", Map.of("competitionId", "summer", "score", 150)));
        trigger(Map.of("eventId", "t-low", "type", "Competition.EntrySubmitted",
                "contact", Map.of("id", "c-low", "email", "low@example.com"), "data", Map.of("score", 50)));

        Map<String, Object> cara = awaitCompleted("c-cara");
        assertThat(stepPaths(cara)).containsExactly("coupons=Success", "codes_email=Success", "points=Success");
        List<Map<String, Object>> steps = steps(cara);
        @SuppressWarnings("unchecked")
        List<String> codes = (List<String>) ((Map<String, Object>) steps.get(0).get("outputs")).get("coupon_code");
        assertThat(codes).hasSize(3);
        assertThat(((Map<?, ?>) steps.get(2).get("outputs")).get("total_points")).isEqualTo(50);

        MimeMessage mail = Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> Arrays.stream(smtp.getReceivedMessages()).filter(m -> to(m).equals(email)).findFirst()
                        .orElse(null), m -> m != null);
        assertThat(mail.getSubject()).isEqualTo("You won 3 coupons");
        assertThat(String.valueOf(mail.getContent())).contains(codes.get(0), codes.get(1), codes.get(2));
        given().get(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/contacts/c-cara/rewards")
                .then().body("points", org.hamcrest.Matchers.equalTo(50))
                .body("coupons.code", org.hamcrest.Matchers.containsInAnyOrder(codes.toArray()));
        awaitTriggersSkippedByCondition(skipped + 1);
        assertThat(instances("c-low")).as("score 50 does not meet the trigger condition").isEmpty();
    }

    @Test
    void competitionCouponsTakeTheLimitPathOnceTheContactHoldsTheMostOfTheOffer() throws Exception {
        createOffer(Map.of("name", "10% Discount", "totalLimit", 100));
        activate(Files.readString(example("competition-coupons.json")), "coupons");
        String email = "kim-" + ws + "@example.com";
        Map<String, Object> kim = Map.of("id", "c-kim", "email", email, "firstName", "Kim");
        // three entries one after the other, 3 coupons asked each time, at most 5 per contact (partial award allowed)
        trigger(Map.of("eventId", "k-1", "type", "Competition.EntrySubmitted", "contact", kim,
                "data", Map.of("score", 150)));
        Map<String, Object> first = awaitEnded("c-kim", "k-1");
        assertThat(stepPaths(first)).containsExactly("coupons=Success", "codes_email=Success", "points=Success");
        trigger(Map.of("eventId", "k-2", "type", "Competition.EntrySubmitted", "contact", kim,
                "data", Map.of("score", 150)));
        Map<String, Object> second = awaitEnded("c-kim", "k-2");
        assertThat(stepPaths(second)).containsExactly("coupons=Success", "codes_email=Success", "points=Success");
        trigger(Map.of("eventId", "k-3", "type", "Competition.EntrySubmitted", "contact", kim,
                "data", Map.of("score", 150)));
        Map<String, Object> third = awaitEnded("c-kim", "k-3");
        assertThat(stepPaths(third)).containsExactly("coupons=OfferLimitsExceeded", "limit_email=Success",
                "points=Success");

        Map<String, Object> issued1 = outputs(first, "coupons");
        Map<String, Object> issued2 = outputs(second, "coupons");
        assertThat(issued1).containsEntry("coupon_count", 3);
        assertThat(issued2).as("the two that still fit under the contact limit").containsEntry("coupon_count", 2);
        assertThat(outputs(third, "coupons")).as("nothing issued on the limit path")
                .doesNotContainKeys("coupon_id", "coupon_code", "coupon_link");
        List<String> codes = new java.util.ArrayList<>((List<String>) issued1.get("coupon_code"));
        codes.addAll((List<String>) issued2.get("coupon_code"));
        assertThat(codes).hasSize(5).doesNotHaveDuplicates();
        given().get(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/contacts/c-kim/rewards")
                .then().body("coupons.code", org.hamcrest.Matchers.containsInAnyOrder(codes.toArray()))
                .body("points", org.hamcrest.Matchers.equalTo(150));
        given().get(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/coupon-offers/{name}",
                        "10% Discount")
                .then().body("issued", org.hamcrest.Matchers.equalTo(5));

        // one email per entry: the codes of the first two, then the limit notice
        List<MimeMessage> inbox = awaitMails(email, 3);
        assertThat(inbox).extracting(ReferenceExamplesE2ETest::safeSubject)
                .containsExactly("You won 3 coupons", "You won 2 coupons", "Limit reached");
        MimeMessage notice = inbox.stream().filter(m -> safeSubject(m).equals("Limit reached")).findFirst()
                .orElseThrow();
        assertThat(String.valueOf(notice.getContent()))
                .contains("Hi Kim, you already hold the most coupons of this offer.");
    }

    @Test
    void couponQuantityTakenFromTheTriggerIsIssuedWithinTheContactLimit() throws Exception {
        createOffer(Map.of("name", "10% Discount"));
        // the reference example with its quantity read from the trigger: one template, so it stays a number
        String example = Files.readString(example("competition-coupons.json"));
        String fromTrigger = example.replace("\"quantity\": 3", "\"quantity\": \"{{trigger.data.count}}\"");
        assertThat(fromTrigger).isNotEqualTo(example);
        activate(fromTrigger, "coupons");
        String fourEmail = "four-" + ws + "@example.com";
        trigger(Map.of("eventId", "q-4", "type", "Competition.EntrySubmitted",
                "contact", Map.of("id", "c-four", "email", fourEmail, "firstName", "Fay"),
                "data", Map.of("score", 150, "count", 4)));
        trigger(Map.of("eventId", "q-7", "type", "Competition.EntrySubmitted",
                "contact", Map.of("id", "c-seven", "email", "seven-" + ws + "@example.com", "firstName", "Sol"),
                "data", Map.of("score", 150, "count", 7)));

        Map<String, Object> four = awaitEnded("c-four", "q-4");
        assertThat(stepPaths(four)).containsExactly("coupons=Success", "codes_email=Success", "points=Success");
        assertThat(outputs(four, "coupons")).containsEntry("coupon_count", 4);
        assertThat((List<String>) outputs(four, "coupons").get("coupon_code")).hasSize(4);
        Map<String, Object> seven = awaitEnded("c-seven", "q-7");
        assertThat(stepPaths(seven)).containsExactly("coupons=Success", "codes_email=Success", "points=Success");
        assertThat(outputs(seven, "coupons")).as("7 asked, the contact limit of 5 issued (partial award)")
                .containsEntry("coupon_count", 5);
        given().get(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/contacts/c-four/rewards")
                .then().body("coupons.size()", org.hamcrest.Matchers.equalTo(4));
        given().get(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/contacts/c-seven/rewards")
                .then().body("coupons.size()", org.hamcrest.Matchers.equalTo(5));
        given().get(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/coupon-offers/{name}",
                        "10% Discount")
                .then().body("issued", org.hamcrest.Matchers.equalTo(9));
        assertThat(awaitMail(fourEmail).getSubject()).isEqualTo("You won 4 coupons");
    }

    @Test
    void webhookStepCallsTheReceiverWithTemplatesResolved() {
        webhook.stubFor(WireMock.post("/hooks/entry").willReturn(WireMock.okJson("{\"ok\":true}")));
        activate("""
                {"name": "Notify CRM", "trigger": {"type": "Gameplay.Action"},
                 "steps": [{"id": "notify", "action": "HttpRequest",
                            "config": {"url": "http://127.0.0.1:%d/hooks/entry", "method": "POST",
                                       "body": {"contact": "{{contact.id}}", "action": "{{trigger.data.action}}"}}},
                           {"id": "score", "action": "AssignGameplayScore",
                            "config": {"score": "{{trigger.data.score}}", "context": "{{steps.notify.status}}"}}]}"""
                .formatted(webhook.port()), "hook");
        trigger(Map.of("eventId", "t-dan", "type", "Gameplay.Action", "contact", Map.of("id", "c-dan"),
                "data", Map.of("action", "level-up", "score", 42)));
        Map<String, Object> dan = awaitCompleted("c-dan");
        assertThat(stepPaths(dan)).containsExactly("notify=Success", "score=Success");
        webhook.verify(WireMock.postRequestedFor(WireMock.urlEqualTo("/hooks/entry"))
                .withRequestBody(WireMock.equalToJson("{\"contact\":\"c-dan\",\"action\":\"level-up\"}")));
    }

    /** Issue 14's runs an admin can act on, with the webhook workflow of "Custom Webhook Integration". */
    private static final String FULFIL = """
            {"name": "fulfil", "trigger": {"type": "Prize.Awarded"},
             "steps": [
               {"id": "fulfil", "action": "HttpRequest",
                "config": {"url": "{{trigger.data.url}}", "method": "POST", "body": {"contactId": "{{contact.id}}"}},
                "paths": {"Success": [{"id": "done", "action": "ContactUpdate", "config": {"properties": {"fulfilled": true}}}],
                          "Failure": [{"id": "notice", "action": "ContactEmailSend",
                                       "config": {"subject": "We could not ship your prize", "body": "We are on it."}}]}}]}""";

    @Test
    void aRunThatFailedOnABrokenReceiverIsReplayedOnceItRecoversAndEndsSuccess() {
        String path = "/recovering/" + ws;
        webhook.stubFor(WireMock.post(path).willReturn(WireMock.badRequest()));
        activate(FULFIL, "fulfil");
        String url = "http://127.0.0.1:" + webhook.port() + path;
        trigger(Map.of("eventId", "r-1", "type", "Prize.Awarded", "contact", Map.of("id", "c-replay",
                "email", "replay-" + ws + "@example.com"), "data", Map.of("url", url)));
        Map<String, Object> failed = awaitCompleted("c-replay");
        assertThat(stepPaths(failed)).containsExactly("fulfil=Failure", "notice=Success");

        webhook.stubFor(WireMock.post(path).willReturn(WireMock.okJson("{\"shipped\": true}")));
        Map<String, Object> replay = given().post(mesh.url("orchestrator-service") + "/api/workspaces/" + ws
                        + "/instances/" + failed.get("id") + "/replay")
                .then().statusCode(201).extract().jsonPath().getMap("");
        assertThat(replay).containsEntry("replayOf", failed.get("id")).containsEntry("effectsRepeat", true);
        Map<String, Object> replayed = Awaitility.await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> given().get(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/instances/"
                        + replay.get("id")).then().statusCode(200).extract().jsonPath().getMap(""),
                        i -> !"running".equals(i.get("status")));
        assertThat(stepPaths(replayed)).containsExactly("fulfil=Success", "done=Success");
        assertThat((Map<Object, Object>) (Map<?, ?>) contact("c-replay").get("properties")).containsEntry("fulfilled", true);
        // the replay's call is a new one (its own idempotency key), not a repeat of the first
        List<String> keys = webhook.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(path))).stream()
                .map(r -> r.getHeader("Idempotency-Key")).distinct().toList();
        assertThat(keys).hasSize(2);
    }

    @Test
    void aPausedWorkflowStartsNothingAndResumes() {
        activate("""
                {"name": "paused", "trigger": {"type": "Gameplay.Action"},
                 "steps": [{"id": "list", "action": "ContactAddToList", "config": {"list": "Players"}}]}""", "paused");
        String workflows = mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/workflows/paused";
        given().post(workflows + "/pause").then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("paused"));
        double skipped = Metrics.sum(mesh.url("orchestrator-service"), "engageflow_triggers_skipped_total",
                "reason=\"paused\"");
        trigger(Map.of("eventId", "p-1", "type", "Gameplay.Action", "contact", Map.of("id", "c-paused")));
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> Metrics.sum(mesh.url("orchestrator-service"), "engageflow_triggers_skipped_total",
                        "reason=\"paused\"") >= skipped + 1);

        given().post(workflows + "/resume").then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("active"));
        trigger(Map.of("eventId", "p-2", "type", "Gameplay.Action", "contact", Map.of("id", "c-paused")));
        Map<String, Object> run = awaitEnded("c-paused", "p-2");
        assertThat(stepPaths(run)).containsExactly("list=Success");
        // the trigger sent while paused (read before p-2: same contact, same partition) started nothing
        assertThat(instances("c-paused")).extracting(i -> i.get("triggerEventId")).containsExactly("p-2");
    }

    /** The reference's "Check error handling - Intentionally break integrations to test failure paths". */
    @Test
    void aTestRunWithAForcedFailureTakesTheFailurePathAndSendsNoEmail() {
        String definition = FULFIL.replaceFirst("\\{", "{\"id\": \"dry\", ");
        given().contentType(ContentType.JSON).body(definition)
                .post(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/workflows").then().statusCode(201);
        String tester = "tester-" + ws + "@example.com";
        Map<String, Object> run = given().contentType(ContentType.JSON)
                .body(Map.of("trigger", Map.of("contact", Map.of("id", "c-dry", "email", tester),
                        "data", Map.of("url", "http://127.0.0.1:" + webhook.port() + "/never/" + ws)),
                        "forcePaths", Map.of("fulfil", "Failure")))
                .post(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/workflows/dry/test")
                .then().statusCode(200).extract().jsonPath().getMap("");
        assertThat(run).containsEntry("test", true);
        assertThat(stepPaths(run)).containsExactly("fulfil=Failure", "notice=Success");
        assertThat(outputs(run, "fulfil")).containsEntry("forced", true);
        assertThat(outputs(run, "notice")).containsEntry("test", true).containsKey("wouldSend");
        // the run ended, so the notice step's answer came back: an email it sent would be in the inbox by now
        assertThat(Arrays.stream(smtp.getReceivedMessages()).filter(m -> to(m).equals(tester))).isEmpty();
        webhook.verify(0, WireMock.postRequestedFor(WireMock.urlEqualTo("/never/" + ws)));
        // kept apart from real runs
        assertThat(instances("c-dry")).isEmpty();
    }

    private void connect(String provider, String key) {
        given().contentType(ContentType.JSON).body(Map.of("apiKey", key, "baseUrl", "http://127.0.0.1:" + webhook.port()))
                .put(mesh.url("integration-actions-service") + "/api/workspaces/" + ws + "/connected-apps/" + provider)
                .then().statusCode(200);
    }

    private Map<String, Object> contact(String id) {
        return given().get(mesh.url("contact-actions-service") + "/api/workspaces/" + ws + "/contacts/" + id)
                .then().statusCode(200).extract().jsonPath().getMap("$");
    }

    private MimeMessage awaitMail(String to) {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> to(m).equals(to)).findFirst().orElse(null), m -> m != null);
    }

    @Test
    void giftCardRewardSendsALocalCardOrAStandardNotice() throws Exception {
        connect("localcard", "lc-key");
        webhook.stubFor(WireMock.post("/v1/cards").willReturn(WireMock.jsonResponse(
                "{\"id\": \"card-1\", \"link\": \"https://cards.example/card-1\"}", 201)));
        activate(Files.readString(example("gift-card-reward.json")), "gift");
        trigger(Map.of("eventId", "g-1", "type", "Prize.Awarded", "contact", Map.of("id", "c-gc",
                "email", "gc-" + ws + "@example.com", "firstName", "Gia"), "data", Map.of("prizeType", "Gift Card")));
        String other = "other-" + ws + "@example.com";
        trigger(Map.of("eventId", "g-2", "type", "Prize.Awarded", "contact", Map.of("id", "c-other",
                "email", other, "firstName", "Oli"), "data", Map.of("prizeType", "T-Shirt", "prize", "a T-shirt")));
        Map<String, Object> gc = awaitCompleted("c-gc");
        assertThat(stepPaths(gc)).containsExactly("is_gift_card=Success", "gift_card=Success");
        assertThat((Map<Object, Object>) (Map<?, ?>) steps(gc).get(1).get("outputs")).containsEntry("card_link", "https://cards.example/card-1");
        webhook.verify(WireMock.postRequestedFor(WireMock.urlEqualTo("/v1/cards"))
                .withHeader("Authorization", WireMock.equalTo("Bearer lc-key"))
                .withRequestBody(WireMock.matchingJsonPath("$.templateId", WireMock.equalTo("Reward Gift Card")))
                .withRequestBody(WireMock.matchingJsonPath("$.value", WireMock.equalTo("25")))
                .withRequestBody(WireMock.matchingJsonPath("$.deliveryMethod", WireMock.equalTo("Email"))));
        assertThat(stepPaths(awaitCompleted("c-other"))).containsExactly("is_gift_card=Failure",
                "standard_notice=Success");
        assertThat(String.valueOf(awaitMail(other).getContent())).contains("you won: a T-shirt");
    }

    @Test
    void leadToCrmCreatesTheLeadTagsTheContactAndTellsSales() throws Exception {
        connect("salesforce", "sf-token");
        webhook.stubFor(WireMock.post("/services/data/v60.0/sobjects/Lead").willReturn(WireMock.jsonResponse(
                "{\"id\": \"00Q1\", \"success\": true, \"errors\": []}", 201)));
        activate(Files.readString(example("lead-to-crm.json")), "lead");
        trigger(Map.of("eventId", "l-1", "type", "Gameplay.DataCapturedQualified", "contact", Map.of("id", "c-lead",
                "email", "lee@example.com", "firstName", "Lee", "lastName", "Park"), "data", Map.of("company", "Acme")));
        assertThat(stepPaths(awaitCompleted("c-lead"))).containsExactly("lead=Success", "tag_synced=Success",
                "notify_sales=Success");
        webhook.verify(WireMock.postRequestedFor(WireMock.urlEqualTo("/services/data/v60.0/sobjects/Lead"))
                .withRequestBody(WireMock.equalToJson("{\"FirstName\":\"Lee\",\"LastName\":\"Park\","
                        + "\"Email\":\"lee@example.com\",\"Company\":\"Acme\"}")));
        assertThat((List<Object>) (List<?>) contact("c-lead").get("tags")).containsExactly("CRM Synced");
        MimeMessage toSales = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Arrays.stream(
                smtp.getReceivedMessages()).filter(m -> safeSubject(m).equals("New lead: lee@example.com"))
                .findFirst().orElse(null), m -> m != null);
        assertThat(to(toSales)).isEqualTo("sales@example.com");
        assertThat(String.valueOf(toSales.getContent())).contains("Lead 00Q1 from Acme");
    }

    @Test
    void emailListSyncUpsertsTagsAndMarksTheContact() throws Exception {
        connect("mailchimp", "mc-key-us21");
        String hash = md5("mia@example.com");
        webhook.stubFor(WireMock.put("/lists/newsletter/members/" + hash).willReturn(WireMock.okJson(
                "{\"id\": \"" + hash + "\"}")));
        webhook.stubFor(WireMock.post("/lists/newsletter/members/" + hash + "/tags").willReturn(WireMock.noContent()));
        activate(Files.readString(example("email-list-sync.json")), "sync");
        double skipped = triggersSkippedByCondition();
        trigger(Map.of("eventId", "m-1", "type", "Contact.ListAdded", "contact", Map.of("id", "c-mia",
                "email", "mia@example.com", "firstName", "Mia"), "data", Map.of("list", "Newsletter Subscribers")));
        trigger(Map.of("eventId", "m-2", "type", "Contact.ListAdded", "contact", Map.of("id", "c-vip"),
                "data", Map.of("list", "VIP")));
        assertThat(stepPaths(awaitCompleted("c-mia"))).containsExactly("upsert=Success", "tags=Success",
                "mark=Success");
        webhook.verify(WireMock.putRequestedFor(WireMock.urlEqualTo("/lists/newsletter/members/" + hash))
                .withRequestBody(WireMock.matchingJsonPath("$.merge_fields.FNAME", WireMock.equalTo("Mia"))));
        webhook.verify(WireMock.postRequestedFor(WireMock.urlEqualTo("/lists/newsletter/members/" + hash + "/tags"))
                .withRequestBody(WireMock.equalToJson("{\"tags\":[{\"name\":\"Komo User\",\"status\":\"active\"},"
                        + "{\"name\":\"Newsletter\",\"status\":\"active\"}]}")));
        assertThat((Map<Object, Object>) (Map<?, ?>) contact("c-mia").get("properties")).containsEntry("mailchimp_synced", true);
        awaitTriggersSkippedByCondition(skipped + 1);
        assertThat(instances("c-vip")).as("another list does not start the sync").isEmpty();
    }

    @Test
    void engagementBonusGivesEntriesTagsAndPoints() throws Exception {
        activate(Files.readString(example("engagement-bonus.json")), "bonus");
        trigger(Map.of("eventId", "e-1", "type", "Gameplay.Action", "contact", Map.of("id", "c-share"),
                "data", Map.of("action", "social share", "competitionId", "summer", "entryId", "entry-7")));
        assertThat(stepPaths(awaitCompleted("c-share"))).containsExactly("entries=Success", "tags=Success",
                "points=Success");
        given().get(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/contacts/c-share/rewards")
                .then().body("entries.summer", org.hamcrest.Matchers.equalTo(3))
                .body("points", org.hamcrest.Matchers.equalTo(50));
        assertThat((Map<Object, Object>) (Map<?, ?>) steps(awaitCompleted("c-share")).get(1).get("outputs"))
                .containsEntry("tags", List.of("Social Sharer"));
    }

    @Test
    void tierProgressionPromotesToGoldOrRecordsProgressThenConfirms() throws Exception {
        activate(Files.readString(example("tier-progression.json")), "tiers");
        String gold = "gold-" + ws + "@example.com";
        trigger(Map.of("eventId", "t-1", "type", "Loyalty.PointsAwarded", "contact", Map.of("id", "c-rich",
                "email", gold, "firstName", "Rae"), "data", Map.of("total_points", 1200)));
        trigger(Map.of("eventId", "t-2", "type", "Loyalty.PointsAwarded", "contact", Map.of("id", "c-poor",
                "email", "poor-" + ws + "@example.com"), "data", Map.of("total_points", 300)));
        assertThat(stepPaths(awaitCompleted("c-rich"))).containsExactly("gold_points=Success", "gold=Success",
                "confirm=Success");
        given().get(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/contacts/c-rich/rewards")
                .then().body("tier", org.hamcrest.Matchers.equalTo("Gold"));
        assertThat(awaitMail(gold).getSubject()).isEqualTo("You have 1200 points");
        assertThat(stepPaths(awaitCompleted("c-poor"))).containsExactly("gold_points=Failure", "progress=Success",
                "confirm=Success");
        assertThat((Map<Object, Object>) (Map<?, ?>) contact("c-poor").get("properties")).containsEntry("points_toward_gold", 300);
    }

    @Test
    void customWebhookRequestsFulfilmentOrParksTheContact() throws Exception {
        webhook.stubFor(WireMock.post("/fulfil").willReturn(WireMock.okJson("{\"accepted\": true}")));
        webhook.stubFor(WireMock.post("/broken").willReturn(WireMock.badRequest()));
        activate(Files.readString(example("custom-webhook.json")), "fulfil");
        String base = "http://127.0.0.1:" + webhook.port();
        trigger(Map.of("eventId", "w-1", "type", "Prize.Awarded", "contact", Map.of("id", "c-ok"),
                "data", Map.of("prize", "Bike", "fulfillmentUrl", base + "/fulfil")));
        trigger(Map.of("eventId", "w-2", "type", "Prize.Awarded", "contact", Map.of("id", "c-ko"),
                "data", Map.of("prize", "Bike", "fulfillmentUrl", base + "/broken")));
        assertThat(stepPaths(awaitCompleted("c-ok"))).containsExactly("fulfil=Success", "requested=Success");
        webhook.verify(WireMock.postRequestedFor(WireMock.urlEqualTo("/fulfil"))
                .withRequestBody(WireMock.equalToJson("{\"contactId\":\"c-ok\",\"prize\":\"Bike\"}")));
        assertThat((Map<Object, Object>) (Map<?, ?>) contact("c-ok").get("properties")).containsEntry("fulfillment", "fulfillment_requested");
        assertThat(stepPaths(awaitCompleted("c-ko"))).containsExactly("fulfil=Failure", "failed=Success");
        given().get(mesh.url("contact-actions-service") + "/api/workspaces/" + ws + "/lists/Fulfillment Failed/members")
                .then().body("$", org.hamcrest.Matchers.equalTo(List.of("c-ko")));
    }

    @Test
    void crmDesignedForSuccessAndFailureConfirmsTheLeadOrParksTheContactAndAlertsIt() throws Exception {
        connect("salesforce", "sf-token");
        // Salesforce takes one company's lead and refuses the other's (a validation rule answers 400)
        webhook.stubFor(WireMock.post("/services/data/v60.0/sobjects/Lead")
                .withRequestBody(WireMock.matchingJsonPath("$.Company", WireMock.equalTo("Initech")))
                .willReturn(WireMock.jsonResponse("{\"id\": \"00Q7\", \"success\": true, \"errors\": []}", 201)));
        webhook.stubFor(WireMock.post("/services/data/v60.0/sobjects/Lead")
                .withRequestBody(WireMock.matchingJsonPath("$.Company", WireMock.equalTo("Broken Co")))
                .willReturn(WireMock.jsonResponse("[{\"message\": \"Company is not allowed\", "
                        + "\"errorCode\": \"FIELD_CUSTOM_VALIDATION_EXCEPTION\"}]", 400)));
        webhook.stubFor(WireMock.post("/alerts/" + ws).willReturn(WireMock.okJson("{\"ok\": true}")));
        activate(Files.readString(example("crm-success-and-failure.json")), "crm");
        String ivy = "ivy-" + ws + "@example.com";
        String kai = "kai-" + ws + "@example.com";
        trigger(Map.of("eventId", "crm-ok", "type", "Gameplay.DataCapturedQualified", "contact", Map.of("id", "c-ivy",
                "email", ivy, "firstName", "Ivy", "lastName", "Lo"), "data", Map.of("company", "Initech",
                "alertUrl", "http://127.0.0.1:" + webhook.port() + "/alerts/" + ws)));
        trigger(Map.of("eventId", "crm-ko", "type", "Gameplay.DataCapturedQualified", "contact", Map.of("id", "c-kai",
                "email", kai, "firstName", "Kai", "lastName", "Ode"), "data", Map.of("company", "Broken Co",
                "alertUrl", "http://127.0.0.1:" + webhook.port() + "/alerts/" + ws)));

        // success: the lead, the tag, the confirmation with the lead's id
        assertThat(stepPaths(awaitCompleted("c-ivy"))).containsExactly("lead=Success", "tag_synced=Success",
                "confirm=Success");
        assertThat((List<Object>) (List<?>) contact("c-ivy").get("tags")).containsExactly("CRM Synced");
        MimeMessage confirmation = awaitMail(ivy);
        assertThat(confirmation.getSubject()).isEqualTo("Thanks Ivy, we'll be in touch");
        assertThat(String.valueOf(confirmation.getContent()))
                .contains("Your request reached our sales team (ref 00Q7).");
        // failure: the provider's refusal recorded, the contact parked, IT alerted; no tag, no confirmation step
        Map<String, Object> kaiRun = awaitCompleted("c-kai");
        assertThat(stepPaths(kaiRun)).containsExactly("lead=Failure", "crm_failed=Success", "alert_it=Success");
        assertThat((Map<Object, Object>) (Map<?, ?>) steps(kaiRun).get(0).get("error"))
                .containsEntry("code", "ProviderError");
        given().get(mesh.url("contact-actions-service") + "/api/workspaces/" + ws + "/lists/CRM Failed/members")
                .then().statusCode(200).body("$", org.hamcrest.Matchers.equalTo(List.of("c-kai")));
        assertThat((List<Object>) (List<?>) contact("c-kai").get("tags")).isEmpty();
        webhook.verify(1, WireMock.postRequestedFor(WireMock.urlEqualTo("/alerts/" + ws))
                .withRequestBody(WireMock.equalToJson("{\"text\": \"CRM sync failed for contact c-kai\"}")));
        // descriptive names: the stored definition keeps each step's name for whoever maintains it
        given().get(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/workflows/crm").then()
                .statusCode(200)
                .body("definition.steps[0].name", org.hamcrest.Matchers.equalTo("Create Lead in Salesforce"))
                .body("definition.steps[0].paths.Failure[1].name", org.hamcrest.Matchers.equalTo("Alert IT team"));
    }

    @Test
    void newMemberIsActivatedListedRewardedAndWelcomedInOneRun() throws Exception {
        activate(Files.readString(example("new-member.json")), "member");
        String email = "nia-" + ws + "@example.com";
        trigger(Map.of("eventId", "nm-nia", "type", "DataCaptured",
                "contact", Map.of("id", "c-nia", "email", email, "firstName", "Nia")));

        Map<String, Object> nia = awaitCompleted("c-nia");
        assertThat(stepPaths(nia)).containsExactly("activate=Success", "active_list=Success",
                "welcome_points=Success", "welcome_package=Success");
        Map<String, Object> stored = contact("c-nia");
        assertThat((Map<Object, Object>) (Map<?, ?>) stored.get("properties")).containsEntry("member_status", "active");
        assertThat((List<Object>) (List<?>) stored.get("lists")).containsExactly("Active Members");
        given().get(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/contacts/c-nia/rewards")
                .then().body("points", org.hamcrest.Matchers.equalTo(100));
        MimeMessage welcome = awaitMail(email);
        assertThat(welcome.getSubject()).isEqualTo("Welcome to the club, Nia");
        assertThat(String.valueOf(welcome.getContent())).contains("You start with 100 points.");
    }

    @Test
    void smartListManagementMovesAContactFromStandardToVipAt500Points() throws Exception {
        // members join "Standard Members" when they sign up (a workflow of the workspace), then points come in
        activate("""
                {"name": "Sign-up joins Standard Members", "trigger": {"type": "DataCaptured"},
                 "steps": [{"id": "standard", "action": "ContactAddToList", "config": {"list": "Standard Members"}}]}""",
                "signup");
        trigger(Map.of("eventId", "sl-join-vip", "type", "DataCaptured", "contact", Map.of("id", "c-500")));
        trigger(Map.of("eventId", "sl-join-std", "type", "DataCaptured", "contact", Map.of("id", "c-499")));
        assertThat(stepPaths(awaitEnded("c-500", "sl-join-vip"))).containsExactly("standard=Success");
        assertThat(stepPaths(awaitEnded("c-499", "sl-join-std"))).containsExactly("standard=Success");
        activate(Files.readString(example("smart-list-management.json")), "lists");
        trigger(Map.of("eventId", "sl-500", "type", "Loyalty.PointsAwarded", "contact", Map.of("id", "c-500"),
                "data", Map.of("points", 100, "total_points", 500)));
        trigger(Map.of("eventId", "sl-499", "type", "Loyalty.PointsAwarded", "contact", Map.of("id", "c-499"),
                "data", Map.of("points", 99, "total_points", 499)));

        assertThat(stepPaths(awaitEnded("c-500", "sl-500"))).containsExactly("vip_points=Success",
                "add_vip=Success", "remove_standard=Success");
        assertThat(stepPaths(awaitEnded("c-499", "sl-499"))).containsExactly("vip_points=Failure");
        String lists = mesh.url("contact-actions-service") + "/api/workspaces/" + ws + "/lists/";
        given().get(lists + "VIP Members/members").then().statusCode(200)
                .body("$", org.hamcrest.Matchers.equalTo(List.of("c-500")));
        given().get(lists + "Standard Members/members").then().statusCode(200)
                .body("$", org.hamcrest.Matchers.equalTo(List.of("c-499")));
        assertThat((List<Object>) (List<?>) contact("c-500").get("lists")).containsExactly("VIP Members");
    }

    @Test
    void multiChannelPrizeNotifiesByEmailSmsAndTheTeamsWebhookAtOnce() throws Exception {
        webhook.stubFor(WireMock.post(SMS_PATH).willReturn(WireMock.jsonResponse(
                "{\"sid\": \"SM" + ws.substring(4) + "\", \"status\": \"queued\"}", 201)));
        webhook.stubFor(WireMock.post("/slack/" + ws).willReturn(WireMock.ok("ok")));
        activate(Files.readString(example("multi-channel-prize.json")), "prize");
        String email = "max-" + ws + "@example.com";
        String phone = "+1555" + (1_000_000 + Math.abs(ws.hashCode() % 9_000_000));
        trigger(Map.of("eventId", "mc-max", "type", "Prize.Awarded",
                "contact", Map.of("id", "c-max", "email", email, "phone", phone, "firstName", "Max"),
                "data", Map.of("prize", "Mountain Bike",
                        "slackWebhookUrl", "http://127.0.0.1:" + webhook.port() + "/slack/" + ws)));

        Map<String, Object> max = awaitCompleted("c-max");
        assertThat(stepPaths(max)).containsExactlyInAnyOrder("notify=Success", "detailed_email=Success",
                "urgent_sms=Success", "team_slack=Success");
        assertThat(stepPaths(max).get(0)).as("the Split starts the three branches").isEqualTo("notify=Success");
        // email
        MimeMessage mail = awaitMail(email);
        assertThat(mail.getSubject()).isEqualTo("You won Mountain Bike!");
        assertThat(String.valueOf(mail.getContent()))
                .contains("Hi Max, here is everything about your Mountain Bike.");
        // SMS: the provider got it once, from the configured number, and the contact's message log shows it
        List<Map<String, String>> sms = webhook.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(SMS_PATH)))
                .stream().map(r -> form(r.getBodyAsString())).filter(f -> phone.equals(f.get("To"))).toList();
        assertThat(sms).containsExactly(Map.of("To", phone, "From", SMS_FROM,
                "Body", "You won Mountain Bike! Check your email."));
        webhook.verify(WireMock.postRequestedFor(WireMock.urlEqualTo(SMS_PATH)).withBasicAuth(
                new com.github.tomakehurst.wiremock.client.BasicCredentials(SMS_ACCOUNT, SMS_TOKEN)));
        assertThat(outputs(max, "urgent_sms")).containsEntry("provider_message_id", "SM" + ws.substring(4))
                .containsEntry("to", phone);
        List<Map<String, Object>> messages = given()
                .get(mesh.url("contact-actions-service") + "/api/workspaces/" + ws + "/contacts/c-max/messages")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(messages).extracting(m -> m.get("channel") + " to " + m.get("to"))
                .containsExactlyInAnyOrder("email to " + email, "sms to " + phone);
        assertThat(messages).filteredOn(m -> "sms".equals(m.get("channel"))).singleElement()
                .satisfies(m -> assertThat(m).containsEntry("body", "You won Mountain Bike! Check your email.")
                        .containsEntry("providerMessageId", "SM" + ws.substring(4)));
        // the team's webhook
        webhook.verify(1, WireMock.postRequestedFor(WireMock.urlEqualTo("/slack/" + ws))
                .withRequestBody(WireMock.equalToJson("{\"text\": \"Contact c-max won Mountain Bike\"}")));
    }

    @Test
    void progressiveDataCollectionAsksForTheRestOrStampsTheCompletionDate() throws Exception {
        activate(Files.readString(example("progressive-data-collection.json")), "progressive");
        // {{now}} is written to the second
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String anon = "anon-" + ws + "@example.com";
        String pia = "pia-" + ws + "@example.com";
        trigger(Map.of("eventId", "pd-anon", "type", "DataCaptured", "contact", Map.of("id", "c-anon", "email", anon),
                "data", Map.of("profile_completeness", 30)));
        trigger(Map.of("eventId", "pd-pia", "type", "DataCaptured",
                "contact", Map.of("id", "c-pia", "email", pia, "firstName", "Pia"),
                "data", Map.of("profile_completeness", 10)));
        trigger(Map.of("eventId", "pd-full", "type", "DataCaptured",
                "contact", Map.of("id", "c-full", "email", "full-" + ws + "@example.com"),
                "data", Map.of("profile_completeness", 80)));

        assertThat(stepPaths(awaitCompleted("c-anon"))).containsExactly("incomplete=Success", "ask=Success");
        assertThat(stepPaths(awaitCompleted("c-pia"))).containsExactly("incomplete=Success", "ask=Success");
        assertThat(stepPaths(awaitCompleted("c-full"))).containsExactly("incomplete=Failure", "complete=Success");
        Instant after = Instant.now();

        // the deadline is a week from the run, in UTC; the run may straddle midnight
        DateTimeFormatter dayMonth = DateTimeFormatter.ofPattern("d MMMM", Locale.ENGLISH).withZone(ZoneOffset.UTC);
        List<String> deadlines = List.of(dayMonth.format(before.plus(Duration.ofDays(7))),
                dayMonth.format(after.plus(Duration.ofDays(7))));
        MimeMessage toAnon = awaitMail(anon);
        assertThat(toAnon.getSubject()).as("no first name: the default").isEqualTo("Complete your profile, friend");
        assertThat(deadlines).anySatisfy(deadline -> assertThat(String.valueOf(toAnon.getContent()))
                .contains("Your profile is 30% complete. Finish it by " + deadline + "."));
        assertThat(awaitMail(pia).getSubject()).isEqualTo("Complete your profile, Pia");

        Object stamp = ((Map<?, ?>) contact("c-full").get("properties")).get("profile_complete_date");
        assertThat(stamp).isInstanceOf(String.class);
        assertThat(Instant.parse((String) stamp)).as("an ISO instant of the run").isBetween(before, after);
        assertThat(((Map<?, ?>) contact("c-anon").get("properties")).containsKey("profile_complete_date")).isFalse();
    }

    @Test
    void aListAddedByOneWorkflowStartsEmailListSyncForTheSameContact() throws Exception {
        connect("mailchimp", "mc-key-us21");
        String email = "cy-" + ws + "@example.com";
        String hash = md5(email);
        webhook.stubFor(WireMock.put("/lists/newsletter/members/" + hash).willReturn(WireMock.okJson(
                "{\"id\": \"" + hash + "\"}")));
        webhook.stubFor(WireMock.post("/lists/newsletter/members/" + hash + "/tags").willReturn(WireMock.noContent()));
        activate(Files.readString(example("email-list-sync.json")), "sync");
        activate("""
                {"name": "Newsletter opt-in", "trigger": {"type": "DataCaptured",
                                                         "condition": "trigger.data.newsletter == true"},
                 "steps": [{"id": "subscribe", "name": "Add to Newsletter Subscribers", "action": "ContactAddToList",
                            "config": {"list": "Newsletter Subscribers"}}]}""", "optin");
        trigger(Map.of("eventId", "chain-cy", "type", "DataCaptured",
                "contact", Map.of("id", "c-cy", "email", email, "firstName", "Cy"), "data", Map.of("newsletter", true)));

        Map<String, Object> optin = awaitEndedOf("optin", "c-cy");
        assertThat(stepPaths(optin)).containsExactly("subscribe=Success");
        Map<String, Object> sync = awaitEndedOf("sync", "c-cy");
        assertThat(stepPaths(sync)).containsExactly("upsert=Success", "tags=Success", "mark=Success");
        webhook.verify(1, WireMock.putRequestedFor(WireMock.urlEqualTo("/lists/newsletter/members/" + hash))
                .withRequestBody(WireMock.matchingJsonPath("$.email_address", WireMock.equalTo(email)))
                .withRequestBody(WireMock.matchingJsonPath("$.merge_fields.FNAME", WireMock.equalTo("Cy"))));
        webhook.verify(1, WireMock.postRequestedFor(WireMock.urlEqualTo("/lists/newsletter/members/" + hash + "/tags"))
                .withRequestBody(WireMock.equalToJson("{\"tags\":[{\"name\":\"Komo User\",\"status\":\"active\"},"
                        + "{\"name\":\"Newsletter\",\"status\":\"active\"}]}")));
        assertThat((Map<Object, Object>) (Map<?, ?>) contact("c-cy").get("properties"))
                .containsEntry("mailchimp_synced", true);
        // the sync's trigger is the platform event of the opt-in's step, one link down the chain
        Map<String, Object> caused = acceptedTrigger((String) sync.get("triggerEventId"));
        assertThat(caused).containsEntry("type", "Contact.ListAdded")
                .containsEntry("data", Map.of("list", "Newsletter Subscribers"));
        assertThat((Map<Object, Object>) (Map<?, ?>) caused.get("causation")).isEqualTo(Map.of(
                "rootEventId", "chain-cy", "instanceId", optin.get("id"), "stepId", "subscribe", "depth", 1));
    }

    @Test
    void pointsAwardedByNewMemberStartTierProgressionAndSmartListManagement() throws Exception {
        activate(Files.readString(example("new-member.json")), "member");
        activate(Files.readString(example("tier-progression.json")), "tiers");
        activate(Files.readString(example("smart-list-management.json")), "lists");
        String email = "ned-" + ws + "@example.com";
        trigger(Map.of("eventId", "chain-ned", "type", "DataCaptured",
                "contact", Map.of("id", "c-ned", "email", email, "firstName", "Ned")));

        Map<String, Object> member = awaitEndedOf("member", "c-ned");
        assertThat(stepPaths(member)).containsExactly("activate=Success", "active_list=Success",
                "welcome_points=Success", "welcome_package=Success");
        // 100 points are under 1000 (no Gold) and under 500 (no VIP)
        Map<String, Object> tiers = awaitEndedOf("tiers", "c-ned");
        assertThat(stepPaths(tiers)).containsExactly("gold_points=Failure", "progress=Success", "confirm=Success");
        Map<String, Object> lists = awaitEndedOf("lists", "c-ned");
        assertThat(stepPaths(lists)).containsExactly("vip_points=Failure");
        assertThat(awaitMails(email, 2)).extracting(ReferenceExamplesE2ETest::safeSubject)
                .containsExactlyInAnyOrder("Welcome to the club, Ned", "You have 100 points");
        given().get(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/contacts/c-ned/rewards")
                .then().body("points", org.hamcrest.Matchers.equalTo(100))
                .body("tier", org.hamcrest.Matchers.nullValue());
        // the progress step reads what the platform event carries: the total after the award
        assertThat((Map<Object, Object>) (Map<?, ?>) contact("c-ned").get("properties"))
                .containsEntry("points_toward_gold", 100);

        // one event, Loyalty.PointsAwarded of the welcome points, started both
        assertThat(lists.get("triggerEventId")).isEqualTo(tiers.get("triggerEventId"));
        Map<String, Object> caused = acceptedTrigger((String) tiers.get("triggerEventId"));
        assertThat(caused).containsEntry("type", "Loyalty.PointsAwarded")
                .containsEntry("data", Map.of("points", 100, "total_points", 100, "reason", "welcome"));
        assertThat((Map<Object, Object>) (Map<?, ?>) caused.get("causation")).isEqualTo(Map.of(
                "rootEventId", "chain-ned", "instanceId", member.get("id"), "stepId", "welcome_points", "depth", 1));
    }

    @Test
    void aWorkflowThatTriggersItselfIsStoppedByTheLoopGuardAfterFiveCausedRuns() throws Exception {
        // each run adds a tag the contact does not have, whose Contact.TagAdded starts the workflow again
        activate("""
                {"name": "Tag echo (a loop)", "trigger": {"type": "Contact.TagAdded"},
                 "steps": [{"id": "echo", "name": "Add t-<the tag>", "action": "ContactUpdate",
                            "config": {"addTags": ["t-{{trigger.data.tag}}"]}}]}""", "echo");
        double stoppedBefore = loopsStopped();
        trigger(Map.of("eventId", "loop-root", "type", "Contact.TagAdded", "contact", Map.of("id", "c-loop"),
                "data", Map.of("tag", "x")));

        // the seventh link (depth 6) comes back on triggers.rejected: the guard refused it, so it started nothing
        Map<String, Object> refused = Awaitility.await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(this::rejectedTriggers, list -> !list.isEmpty()).get(0);
        assertThat((String) refused.get("reason"))
                .contains("causation.depth 6 is more than the 5 allowed");
        Map<String, Object> original = JsonCodec.mapper().readValue((String) refused.get("original"), Map.class);
        assertThat(original).containsEntry("type", "Contact.TagAdded")
                .containsEntry("data", Map.of("tag", "t-t-t-t-t-t-x"));
        assertThat((Map<Object, Object>) (Map<?, ?>) original.get("causation"))
                .containsEntry("rootEventId", "loop-root").containsEntry("stepId", "echo").containsEntry("depth", 6);
        assertThat(loopsStopped()).isEqualTo(stoppedBefore + 1);

        // the original run and the five it caused, depth 1 to 5, each caused by the run before it
        List<Map<String, Object>> runs = Awaitility.await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250)).until(() -> instances("c-loop"),
                        list -> list.size() >= 6 && list.stream().noneMatch(i -> "running".equals(i.get("status"))));
        assertThat(runs).hasSize(6).allSatisfy(run -> assertThat(stepPaths(run)).containsExactly("echo=Success"));
        List<Map<String, Object>> accepted = acceptedTriggers();
        assertThat(accepted).as("the trigger-service forwarded the original and five caused triggers, no more")
                .hasSize(6);
        Map<String, String> runByTrigger = new LinkedHashMap<>();
        runs.forEach(run -> runByTrigger.put((String) run.get("triggerEventId"), (String) run.get("id")));
        String causeRun = runByTrigger.get("loop-root");
        assertThat(causeRun).isNotNull();
        String tag = "x";
        for (int depth = 1; depth <= 5; depth++) {
            tag = "t-" + tag;
            String expectedTag = tag;
            Map<String, Object> link = accepted.stream()
                    .filter(t -> Map.of("tag", expectedTag).equals(t.get("data"))).findFirst().orElseThrow();
            assertThat((Map<Object, Object>) (Map<?, ?>) link.get("causation")).isEqualTo(Map.of(
                    "rootEventId", "loop-root", "instanceId", causeRun, "stepId", "echo", "depth", depth));
            causeRun = runByTrigger.get((String) link.get("eventId"));
            assertThat(causeRun).as("the run of depth %d", depth).isNotNull();
        }
        assertThat((List<Object>) (List<?>) contact("c-loop").get("tags")).containsExactlyInAnyOrder("t-x",
                "t-t-x", "t-t-t-x", "t-t-t-t-x", "t-t-t-t-t-x", "t-t-t-t-t-t-x");
    }

    /** Loops the trigger-service's guard stopped so far. */
    private static double loopsStopped() {
        return Metrics.sum(mesh.url("trigger-service"), "engageflow_triggers_loops_stopped_total");
    }

    /** The triggers of this workspace trigger-service forwarded on workflow.triggers, as JSON maps. */
    private List<Map<String, Object>> acceptedTriggers() {
        List<Map<String, Object>> mine = new ArrayList<>();
        for (var r : TopicRecords.all(KafkaBroker.bootstrapServers(), Topics.WORKFLOW_TRIGGERS)) {
            Map<String, Object> trigger = json(r.value());
            if (ws.equals(trigger.get("workspaceId"))) {
                mine.add(trigger);
            }
        }
        return mine;
    }

    /** The forwarded trigger of that eventId. */
    private Map<String, Object> acceptedTrigger(String eventId) {
        return acceptedTriggers().stream().filter(t -> eventId.equals(t.get("eventId"))).findFirst().orElseThrow();
    }

    /** The rejections on triggers.rejected of a trigger of this workspace, as JSON maps. */
    private List<Map<String, Object>> rejectedTriggers() {
        List<Map<String, Object>> mine = new ArrayList<>();
        for (var r : TopicRecords.all(KafkaBroker.bootstrapServers(), Topics.TRIGGERS_REJECTED)) {
            Map<String, Object> rejection = json(r.value());
            Object original = rejection.get("original");
            if (original instanceof String text && text.contains("\"" + ws + "\"")) {
                mine.add(rejection);
            }
        }
        return mine;
    }

    private static Map<String, Object> json(String text) {
        try {
            return JsonCodec.mapper().readValue(text, Map.class);
        } catch (Exception e) {
            return Map.of(); // not JSON: not one of ours
        }
    }

    /** A form body (application/x-www-form-urlencoded) as a map. */
    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    /** The contact's instance of that workflow, once it has ended. */
    private Map<String, Object> awaitEndedOf(String workflowId, String contactId) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> instances(contactId).stream().filter(i -> workflowId.equals(i.get("workflowId")))
                        .findFirst().orElse(null), i -> i != null && !"running".equals(i.get("status")));
    }

    private static String md5(String email) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(email.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static String safeSubject(MimeMessage m) {
        try {
            return String.valueOf(m.getSubject());
        } catch (Exception e) {
            return "";
        }
    }

    private void createOffer(Map<String, Object> offer) {
        given().contentType(ContentType.JSON).body(offer)
                .post(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/coupon-offers")
                .then().statusCode(201);
    }

    private void activate(String definition, String id) {
        String withId = definition.replaceFirst("\\{", "{\"id\": \"" + id + "\", ");
        given().contentType(ContentType.JSON).body(withId)
                .post(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/workflows").then().statusCode(201);
        given().post(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/workflows/" + id + "/activate")
                .then().statusCode(200);
    }

    private void trigger(Map<String, Object> body) {
        trigger(body, 202);
    }

    private void trigger(Map<String, Object> body, int status) {
        given().contentType(ContentType.JSON).body(body)
                .post(mesh.url("trigger-service") + "/api/workspaces/" + ws + "/triggers").then().statusCode(status);
    }

    private List<Map<String, Object>> instances(String contactId) {
        return given().queryParam("contactId", contactId)
                .get(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/instances")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    /** Triggers the orchestrator has read and not started anything for, as their trigger condition did not hold. */
    private static double triggersSkippedByCondition() {
        return Metrics.sum(mesh.url("orchestrator-service"), "engageflow_triggers_skipped_total",
                "reason=\"condition\"");
    }

    /** Waits until the orchestrator has counted that many triggers skipped by their condition: it got past them. */
    private static void awaitTriggersSkippedByCondition(double count) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> triggersSkippedByCondition() >= count);
    }

    /** The contact's instance started by that trigger, once it has ended. */
    private Map<String, Object> awaitEnded(String contactId, String triggerEventId) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> instances(contactId).stream().filter(i -> triggerEventId.equals(i.get("triggerEventId")))
                        .findFirst().orElse(null), i -> i != null && !"running".equals(i.get("status")));
    }

    private List<MimeMessage> awaitMails(String to, int count) {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> to(m).equals(to)).toList(), list -> list.size() >= count);
    }

    private static Map<String, Object> outputs(Map<String, Object> instance, String stepId) {
        return (Map<String, Object>) steps(instance).stream().filter(s -> stepId.equals(s.get("stepId"))).findFirst()
                .orElseThrow().get("outputs");
    }

    private Map<String, Object> awaitCompleted(String contactId) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    List<Map<String, Object>> list = instances(contactId);
                    return list.isEmpty() ? null : list.get(0);
                }, i -> i != null && !"running".equals(i.get("status")));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Map<String, Object> instance) {
        return (List<Map<String, Object>>) instance.get("steps");
    }

    private static List<String> stepPaths(Map<String, Object> instance) {
        assertThat(instance.get("status")).isEqualTo("completed");
        return steps(instance).stream().map(s -> s.get("stepId") + "=" + s.get("path")).toList();
    }

    private static Path example(String name) {
        return Path.of(System.getProperty("engageflow.root", "..")).resolve("deploy/examples").resolve(name);
    }

    private static String to(MimeMessage m) {
        try {
            return m.getAllRecipients()[0].toString();
        } catch (Exception e) {
            return "";
        }
    }
}
