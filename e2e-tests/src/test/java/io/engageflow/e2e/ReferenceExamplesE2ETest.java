package io.engageflow.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.restassured.http.ContentType;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The product reference's examples run as a user would: definitions over the orchestrator's admin API, triggers
 * over trigger-service's HTTP API, effects checked where a user sees them (inbox, data APIs, webhook receiver).
 */
class ReferenceExamplesE2ETest {
    static GreenMail smtp;
    static WireMockServer webhook;
    static Mesh mesh;
    final String ws = "e2e-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() throws Exception {
        int smtpPort = Mesh.freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        webhook = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        webhook.start();
        mesh = new Mesh(smtpPort);
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

        // the same trigger again starts nothing new
        trigger(Map.of("eventId", "t-ann", "type", "DataCaptured", "contact", Map.of("id", "c-ann")), 200);
        Mesh.sleep(1500);
        assertThat(instances("c-ann")).hasSize(1);
    }

    @Test
    void competitionCouponsAreIssuedEmailedAndPointsAwarded() throws Exception {
        given().contentType(ContentType.JSON).body(Map.of("name", "10% Discount", "totalLimit", 100))
                .post(mesh.url("reward-actions-service") + "/api/workspaces/" + ws + "/coupon-offers")
                .then().statusCode(201);
        activate(Files.readString(example("competition-coupons.json")), "coupons");
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
        Mesh.sleep(1000);
        assertThat(instances("c-low")).as("score 50 does not meet the trigger condition").isEmpty();
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
