package io.engageflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.testsupport.TestKeys;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * API keys as a user meets them, black-box over HTTP on the five services as processes (CONTRACT.md,
 * "Authentication"): keys made on the orchestrator with the operator key, then used on every service. No key or
 * one that is not a key → 401, a role that may not → 403, a key of another workspace → 404, each with the error
 * body; the right role passes. A key made on the orchestrator works on another service at once, a revoked one stops
 * working on the orchestrator at once and on the others within a few seconds, and the list of keys never shows one.
 */
@SuppressWarnings("unchecked")
class AuthE2ETest {
    static final String WS_A = "auth-a-" + UUID.randomUUID().toString().substring(0, 8);
    static final String WS_B = "auth-b-" + UUID.randomUUID().toString().substring(0, 8);
    /** The contact the data endpoints read; created in both workspaces before the tests. */
    static final String CONTACT = "c-auth";
    private static final String ORCHESTRATOR = "orchestrator-service";
    private static final String TRIGGER = "trigger-service";
    private static final String CONTACTS = "contact-actions-service";
    private static final String REWARDS = "reward-actions-service";
    private static final String INTEGRATION = "integration-actions-service";
    /** How long a change on the orchestrator may take to reach another service: a Kafka fetch, on a loaded machine. */
    private static final Duration PROPAGATION = Duration.ofSeconds(30);

    static Mesh mesh;
    static Key adminA;
    static Key publisherA;
    static Key readerA;
    static Key adminB;

    /** A key as created: its id and the secret shown once. */
    record Key(String id, String name, String role, String secret) {
    }

    /**
     * One endpoint of a service and the least role that may call it. The body is made per request (a workflow id or
     * an offer name can be created once only), and sent with the refused requests too, so that they are refused for
     * the key and for nothing else.
     */
    record Endpoint(String service, String method, String path, String needs, int ok, Supplier<Object> body) {
        String url(String workspace) {
            return mesh.url(service) + "/api/workspaces/" + workspace + path;
        }

        @Override
        public String toString() {
            return method + " " + service + " /api/workspaces/{ws}" + path + " (" + needs + ")";
        }
    }

    static Stream<Endpoint> endpoints() {
        return Stream.of(
                new Endpoint(ORCHESTRATOR, "GET", "/instances", "reader", 200, null),
                new Endpoint(ORCHESTRATOR, "POST", "/workflows", "admin", 201, () -> workflow(
                        "wf-" + UUID.randomUUID().toString().substring(0, 8), "Gameplay.Ended")),
                new Endpoint(ORCHESTRATOR, "GET", "/api-keys", "admin", 200, null),
                new Endpoint(TRIGGER, "POST", "/triggers", "publisher", 202, () -> Map.of(
                        "eventId", UUID.randomUUID().toString(), "type", "Gameplay.Action", "contact", Map.of("id", CONTACT))),
                new Endpoint(CONTACTS, "GET", "/contacts/" + CONTACT, "reader", 200, null),
                new Endpoint(REWARDS, "GET", "/contacts/" + CONTACT + "/rewards", "reader", 200, null),
                new Endpoint(REWARDS, "POST", "/coupon-offers", "admin", 201, () -> Map.of(
                        "name", "offer-" + UUID.randomUUID().toString().substring(0, 8))),
                // connected apps are an admin's (CONTRACT.md: admin — definitions, connected apps, keys)
                new Endpoint(INTEGRATION, "GET", "/connected-apps", "admin", 200, null),
                new Endpoint(INTEGRATION, "PUT", "/connected-apps/mailchimp", "admin", 200, () -> Map.of(
                        "apiKey", "mc-" + UUID.randomUUID())));
    }

    @BeforeAll
    static void start() throws Exception {
        // no test here sends mail: the contact service gets a port nothing listens on
        mesh = new Mesh(Mesh.freePort());
        adminA = create(WS_A, "admin", TestKeys.OPERATOR_KEY);
        publisherA = create(WS_A, "publisher", TestKeys.OPERATOR_KEY);
        readerA = create(WS_A, "reader", TestKeys.OPERATOR_KEY);
        adminB = create(WS_B, "admin", TestKeys.OPERATOR_KEY);
        for (Key admin : List.of(adminA, adminB)) {
            with(admin).contentType(ContentType.JSON).body(Map.of("email", "auth@example.com"))
                    .put(mesh.url(CONTACTS) + "/api/workspaces/" + workspaceOf(admin) + "/contacts/" + CONTACT)
                    .then().statusCode(200);
        }
    }

    @AfterAll
    static void stop() {
        if (mesh != null) {
            mesh.close();
        }
    }

    /**
     * The matrix, one endpoint of each service at a time: every way of not having a key, every role that may not,
     * workspace B's admin on workspace A, then the roles that may.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void eachEndpointAnswersByKeyRoleAndWorkspace(Endpoint e) {
        SoftAssertions soft = new SoftAssertions();
        expect(soft, "no Authorization", call(e, TestKeys.withoutKey()), 401, "unauthorized");
        expect(soft, "a bearer that is no key", call(e, header("Bearer not-a-key")), 401, "unauthorized");
        expect(soft, "a well-formed key nobody made", call(e, header("Bearer " + unknownKey())), 401,
                "unauthorized");
        expect(soft, "workspace A's admin key without the Bearer scheme",
                call(e, header(adminA.secret())), 401, "unauthorized");
        expect(soft, "workspace A's admin key as Basic credentials", call(e, header("Basic " + Base64.getEncoder()
                .encodeToString(("x:" + adminA.secret()).getBytes(StandardCharsets.UTF_8)))), 401, "unauthorized");
        for (Key k : List.of(adminA, publisherA, readerA)) {
            if (!permits(k.role(), e.needs())) {
                expect(soft, "a " + k.role() + " key", call(e, with(k)), 403, "forbidden");
            }
        }
        expect(soft, "workspace B's admin key on workspace A", call(e, with(adminB)), 404, "not_found");
        for (Key k : List.of(adminA, publisherA, readerA)) {
            if (permits(k.role(), e.needs())) {
                expect(soft, "a " + k.role() + " key", call(e, with(k)), e.ok(), null);
            }
        }
        expect(soft, "workspace B's admin key on workspace B", call(e, with(adminB), WS_B), e.ok(), null);
        soft.assertAll();
    }

    /**
     * A publisher key made on the orchestrator a moment ago is taken by trigger-service at once (it reads the key
     * topic up to its end before it would answer 401), and the trigger runs the workflow an admin key defined; the
     * reader key sees the run.
     */
    @Test
    void aKeyMadeOnTheOrchestratorWorksOnTriggerServiceAtOnceAndItsTriggerRuns() {
        runAWorkflow(create(WS_A, "publisher", adminA.secret()));
    }

    /**
     * Health, metrics and the OpenAPI document answer without a key; after a run in workspace A, no service's
     * metrics name that workspace or the workflow (an open scrape endpoint must not list tenants).
     */
    @Test
    void openEndpointsAnswerWithoutAKeyAndMetricsNameNoWorkspaceOrWorkflow() {
        String workflowId = runAWorkflow(publisherA);
        for (String service : Mesh.SERVICES) {
            for (String open : List.of("/q/health", "/q/openapi")) {
                TestKeys.withoutKey().get(mesh.url(service) + open).then().statusCode(200);
            }
            String metrics = TestKeys.withoutKey().get(mesh.url(service) + "/q/metrics").then().statusCode(200)
                    .extract().asString();
            assertThat(metrics).as(service + " /q/metrics").contains("# TYPE");
            assertThat(metrics.lines().filter(l -> l.contains(WS_A) || l.contains(workflowId)).toList())
                    .as(service + " /q/metrics lines naming workspace " + WS_A + " or workflow " + workflowId)
                    .isEmpty();
        }
    }

    /**
     * Defines and activates a workflow in workspace A with the admin key, posts a trigger for it on trigger-service
     * with {@code publisher} (at once, no retry), and waits, with the reader key, until its run completed along
     * the expected path. Returns the workflow's id.
     */
    private static String runAWorkflow(Key publisher) {
        String workflowId = "auth-flow-" + UUID.randomUUID().toString().substring(0, 8);
        String workflows = mesh.url(ORCHESTRATOR) + "/api/workspaces/" + WS_A + "/workflows";
        with(adminA).contentType(ContentType.JSON).body(workflow(workflowId, "Contact.Identified")).post(workflows)
                .then().statusCode(201);
        with(adminA).post(workflows + "/" + workflowId + "/activate").then().statusCode(200);

        String contactId = "c-" + UUID.randomUUID().toString().substring(0, 8);
        with(publisher).contentType(ContentType.JSON).body(Map.of("eventId", "auth-run-" + contactId,
                        "type", "Contact.Identified", "contact", Map.of("id", contactId, "email", contactId + "@example.com")))
                .post(mesh.url(TRIGGER) + "/api/workspaces/" + WS_A + "/triggers").then().statusCode(202);

        Map<String, Object> run = Awaitility.await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    // each run's workflow listens for the same trigger type: the others run for this contact too
                    List<Map<String, Object>> runs = with(readerA).queryParam("contactId", contactId)
                            .queryParam("workflowId", workflowId)
                            .get(mesh.url(ORCHESTRATOR) + "/api/workspaces/" + WS_A + "/instances")
                            .then().statusCode(200).extract().jsonPath().getList("$");
                    return runs.isEmpty() ? null : runs.get(0);
                }, r -> r != null && !"running".equals(r.get("status")));
        assertThat(run.get("status")).isEqualTo("completed");
        assertThat(run.get("workflowId")).isEqualTo(workflowId);
        assertThat((List<Map<String, Object>>) run.get("steps")).extracting(s -> s.get("stepId") + "=" + s.get("path"))
                .containsExactly("valid=Success");
        return workflowId;
    }

    /**
     * Revoking a key that every service has taken: the orchestrator refuses it at once, the four others once the
     * revocation has reached them over Kafka (polled, bounded), and the list no longer shows it.
     */
    @Test
    void aRevokedKeyStopsWorkingOnTheOrchestratorAtOnceAndOnEveryOtherServiceSoonAfter() {
        Key doomed = create(WS_A, "admin", adminA.secret());
        Map<String, Endpoint> probes = new LinkedHashMap<>();
        for (Endpoint e : endpoints().toList()) {
            if (!e.service().equals(ORCHESTRATOR) || e.method().equals("GET")) {
                probes.putIfAbsent(e.service(), e);
            }
        }
        assertThat(probes.keySet()).containsExactlyInAnyOrderElementsOf(Mesh.SERVICES);
        for (Endpoint e : probes.values()) {
            assertThat(call(e, with(doomed)).statusCode()).as("before revocation: " + e).isEqualTo(e.ok());
        }

        with(adminA).delete(mesh.url(ORCHESTRATOR) + "/api/workspaces/" + WS_A + "/api-keys/" + doomed.id())
                .then().statusCode(204);

        SoftAssertions soft = new SoftAssertions();
        expect(soft, "at once on the orchestrator", call(probes.get(ORCHESTRATOR), with(doomed)), 401, "unauthorized");
        soft.assertAll();
        for (Endpoint e : probes.values()) {
            Response refused = Awaitility.await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(200))
                    .until(() -> call(e, with(doomed)), r -> r.statusCode() != e.ok());
            soft = new SoftAssertions();
            expect(soft, "revoked, on " + e, refused, 401, "unauthorized");
            soft.assertAll();
        }
        assertThat(keys(adminA)).extracting(k -> k.get("id")).doesNotContain(doomed.id())
                .contains(adminA.id(), publisherA.id(), readerA.id());
        // another key of the workspace is untouched
        for (Endpoint e : probes.values()) {
            assertThat(call(e, with(adminA)).statusCode()).as(e.toString()).isEqualTo(e.ok());
        }
    }

    /**
     * The list shows each key's id, name, role and times, never the key; a key used on a service other than the
     * orchestrator gets its lastUsedAt (the use travels back over auth.api-keys.used).
     */
    @Test
    void theKeyListNeverShowsAKeyAndKeepsWhenEachWasLastUsed() {
        Key fresh = create(WS_A, "reader", adminA.secret());
        assertThat(fresh.secret()).matches("efk_[A-Za-z0-9_-]{43}");
        Response list = with(adminA).get(mesh.url(ORCHESTRATOR) + "/api/workspaces/" + WS_A + "/api-keys");
        list.then().statusCode(200);
        for (Key k : List.of(adminA, publisherA, readerA, fresh)) {
            assertThat(list.asString()).as("the list holds no key").doesNotContain(k.secret());
        }
        List<Map<String, Object>> entries = list.jsonPath().getList("$");
        assertThat(entries).allSatisfy(k -> assertThat(k).doesNotContainKey("key")
                .containsKeys("id", "name", "role", "createdAt", "lastUsedAt"));
        Map<String, Object> before = entry(entries, fresh.id());
        assertThat(before).containsEntry("name", fresh.name()).containsEntry("role", "reader");
        assertThat(before.get("lastUsedAt")).as("not used yet").isNull();
        Instant created = Instant.parse((String) before.get("createdAt"));
        assertThat(keys(adminB)).extracting(k -> k.get("id")).containsExactly(adminB.id());

        with(fresh).get(mesh.url(CONTACTS) + "/api/workspaces/" + WS_A + "/contacts/" + CONTACT)
                .then().statusCode(200).body("email", org.hamcrest.Matchers.equalTo("auth@example.com"));
        Map<String, Object> after = Awaitility.await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(250))
                .until(() -> entry(keys(adminA), fresh.id()), k -> k.get("lastUsedAt") != null);
        Instant lastUsed = Instant.parse((String) after.get("lastUsedAt"));
        assertThat(lastUsed).isAfterOrEqualTo(created).isBeforeOrEqualTo(Instant.now().plusSeconds(5));
    }

    /** Re-encrypting every workspace's secrets is the operator's alone: no workspace's admin key may. */
    @Test
    void onlyTheOperatorKeyMayReEncryptConnectedAppSecrets() {
        String reEncrypt = mesh.url(INTEGRATION) + "/api/admin/secrets/re-encrypt";
        SoftAssertions soft = new SoftAssertions();
        expect(soft, "no key", TestKeys.withoutKey().post(reEncrypt), 401, "unauthorized");
        expect(soft, "an unknown key", header("Bearer " + unknownKey()).post(reEncrypt), 401, "unauthorized");
        expect(soft, "workspace A's admin key", with(adminA).post(reEncrypt), 403, "forbidden");
        expect(soft, "workspace B's admin key", with(adminB).post(reEncrypt), 403, "forbidden");
        soft.assertAll();
        TestKeys.withKey(TestKeys.OPERATOR_KEY).post(reEncrypt).then().statusCode(200);
    }

    // ---- helpers

    private static Key create(String workspace, String role, String withKey) {
        String name = role + "-" + UUID.randomUUID().toString().substring(0, 8);
        JsonPath created = TestKeys.withKey(withKey).contentType(ContentType.JSON)
                .body(Map.of("name", name, "role", role))
                .post(mesh.url(ORCHESTRATOR) + "/api/workspaces/" + workspace + "/api-keys")
                .then().statusCode(201).extract().jsonPath();
        assertThat(created.getString("name")).isEqualTo(name);
        assertThat(created.getString("role")).isEqualTo(role);
        return new Key(created.getString("id"), name, role, created.getString("key"));
    }

    /** The keys of the admin key's workspace, as it lists them. */
    private static List<Map<String, Object>> keys(Key admin) {
        return with(admin).get(mesh.url(ORCHESTRATOR) + "/api/workspaces/" + workspaceOf(admin) + "/api-keys")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static String workspaceOf(Key key) {
        return key == adminB ? WS_B : WS_A;
    }

    private static Map<String, Object> entry(List<Map<String, Object>> keys, String id) {
        return keys.stream().filter(k -> id.equals(k.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("key " + id + " is not listed: " + keys));
    }

    private static RequestSpecification with(Key key) {
        return TestKeys.withKey(key.secret());
    }

    /** A request with exactly this Authorization header. */
    private static RequestSpecification header(String authorization) {
        return TestKeys.withoutKey().header("Authorization", authorization);
    }

    private static Response call(Endpoint e, RequestSpecification request) {
        return call(e, request, WS_A);
    }

    private static Response call(Endpoint e, RequestSpecification request, String workspace) {
        if (e.body() != null) {
            request = request.contentType(ContentType.JSON).body(e.body().get());
        }
        return request.request(e.method(), e.url(workspace));
    }

    /** The status, and for an error the contract's body: {"error": code, "message": …, "details": …}. */
    private static void expect(SoftAssertions soft, String what, Response r, int status, String error) {
        String body = r.asString();
        soft.assertThat(r.statusCode()).as(what + " → " + body).isEqualTo(status);
        if (error == null) {
            return;
        }
        try {
            Map<String, Object> parsed = JsonPath.from(body).getMap("$");
            soft.assertThat(parsed).as(what + ": error body").containsEntry("error", error)
                    .containsKey("details");
            soft.assertThat((String) parsed.get("message")).as(what + ": message").isNotBlank();
        } catch (RuntimeException notJson) {
            soft.fail(what + ": the body is not the contract's error body: " + body);
        }
    }

    private static boolean permits(String role, String needed) {
        return role.equals("admin") || role.equals(needed);
    }

    /** A key of the right shape that was never made. */
    private static String unknownKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "efk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Map<String, Object> workflow(String id, String triggerType) {
        return Map.of("id", id, "name", id, "trigger", Map.of("type", triggerType),
                "steps", List.of(Map.of("id", "valid", "action", "ContactFilter",
                        "config", Map.of("condition", "has(contact.email)"))));
    }
}
