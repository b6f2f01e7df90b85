package io.engageflow.integration.secrets;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.engageflow.integration.secrets.SecretBoxTest.legacySeal;
import static io.engageflow.integration.secrets.SecretKeyringTest.randomKey;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.integration.WireMockPeer;
import io.engageflow.integration.WireMockPeer.InjectPeer;
import io.engageflow.integration.domain.AppCredentials;
import io.engageflow.integration.domain.SecretBox;
import io.engageflow.integration.domain.secrets.SecretKeyring;
import io.engageflow.integration.persistence.ConnectedApps;
import io.engageflow.integration.persistence.SecretReEncryption;
import io.engageflow.testsupport.CommandDriver;
import io.engageflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connected-app secrets through the API, the table and the actions: encrypted at rest and never returned, bound to
 * their workspace and provider, rotated to a new key by the re-encrypt command, rows of earlier versions (plain-text
 * credentials) encrypted by it, and never in the logs. The service runs on the test profile's development key
 * (key id {@code default}); rotation is driven with keyrings of the test's own over the same table.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_integration_test"))
@QuarkusTestResource(WireMockPeer.class)
class ConnectedAppSecretsTest {
    private static final ContactSnapshot ANN = new ContactSnapshot("c-1", "ann@example.com", "+15550100", "Ann", null,
            Map.of());
    private static final Duration WAIT = Duration.ofSeconds(30);
    @InjectPeer
    WireMockPeer.Server provider;

    private final String ws = "ws-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<CommandDriver> drivers = new ArrayList<>();

    @Inject
    Pool pool;
    @Inject
    ConnectedApps apps;

    @AfterEach
    void close() {
        drivers.forEach(CommandDriver::close);
    }

    private static String url(String workspace, String app) {
        return "/api/workspaces/" + workspace + "/connected-apps/" + app;
    }

    private String put(String workspace, String app, Map<String, Object> settings) {
        Map<String, Object> body = new LinkedHashMap<>(settings);
        body.put("baseUrl", provider.base());
        return given().contentType("application/json").body(body).put(url(workspace, app)).then().statusCode(200)
                .extract().asString();
    }

    private ActionResult run(String workspace, String action, Map<String, Object> config) {
        CommandDriver driver = new CommandDriver("actions.integration.commands", workspace);
        drivers.add(driver);
        return driver.run(driver.command(action, ANN, config));
    }

    /** The row as stored: the sealed secrets and the settings column. */
    private Map<String, String> stored(String workspace, String app) {
        Row row = pool.preparedQuery("SELECT api_key_encrypted, settings_json FROM connected_app WHERE key = $1")
                .execute(Tuple.of(workspace + "/" + app)).await().atMost(WAIT).iterator().next();
        return Map.of("sealed", row.getString("api_key_encrypted"), "settings", row.getString("settings_json"));
    }

    /** What an attacker with write access to the table would do: put one row's ciphertext into another row. */
    private void copySealed(String fromWorkspace, String fromApp, String toWorkspace, String toApp) {
        int updated = pool.preparedQuery("UPDATE connected_app SET api_key_encrypted = $1 WHERE key = $2")
                .execute(Tuple.of(stored(fromWorkspace, fromApp).get("sealed"), toWorkspace + "/" + toApp))
                .await().atMost(WAIT).rowCount();
        assertThat(updated).isEqualTo(1);
    }

    private AppCredentials find(ConnectedApps with, String workspace, String app) {
        return with.find(workspace, app).await().atMost(WAIT).orElseThrow();
    }

    private static ConnectedApps appsWith(Pool pool, Map<String, String> keys, String current) {
        return new ConnectedApps(new SecretBox(new SecretKeyring(keys, current)), pool);
    }

    @Test
    void everySecretSettingIsEncryptedAtRestAndNeverReturnedYetReachesTheProvider() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("apiKey", "sk-live-ONE");
        settings.put("clientSecret", "cs-TWO");
        settings.put("password", "pw-THREE");
        settings.put("secret", "s3-FOUR"); // not declared for salesforce: secret by its name
        settings.put("apiVersion", "v59.0");
        String answerToPut = put(ws, "salesforce", settings);
        String one = given().get(url(ws, "salesforce")).then().statusCode(200).extract().asString();
        String all = given().get("/api/workspaces/" + ws + "/connected-apps").then().statusCode(200).extract()
                .asString();

        for (String answer : List.of(answerToPut, one, all)) {
            assertThat(answer).doesNotContain("sk-live-ONE", "cs-TWO", "pw-THREE", "s3-FOUR");
        }
        Map<String, Object> view = JsonCodec.toMap(one);
        assertThat(view).containsEntry("secretsSet", List.of("apiKey", "clientSecret", "password", "secret"))
                .containsEntry("settings", Map.of("apiVersion", "v59.0")).containsEntry("apiKeySet", true);
        Map<String, String> row = stored(ws, "salesforce");
        assertThat(row.get("sealed")).startsWith("v1:default:");
        assertThat(row.get("sealed") + row.get("settings"))
                .doesNotContain("sk-live-ONE", "cs-TWO", "pw-THREE", "s3-FOUR");
        assertThat(JsonCodec.toMap(row.get("settings"))).isEqualTo(Map.of("apiVersion", "v59.0"));

        // the action gets them all back: the key as its bearer token, the other settings beside apiVersion
        assertThat(find(apps, ws, "salesforce").settings()).containsEntry("clientSecret", "cs-TWO")
                .containsEntry("password", "pw-THREE").containsEntry("secret", "s3-FOUR")
                .containsEntry("apiVersion", "v59.0");
        provider.stubFor(post(urlEqualTo("/services/data/v59.0/sobjects/Contact"))
                .withHeader("Authorization", equalTo("Bearer sk-live-ONE"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"003S\",\"success\":true,\"errors\":[]}")));
        ActionResult created = run(ws, "SalesforceCreateObject", Map.of("objectType", "Contact",
                "fields", Map.of("LastName", "Smith")));
        assertThat(created.path()).isEqualTo("Success");
        assertThat(created.outputs()).containsEntry("object_id", "003S");
    }

    @Test
    void aCiphertextCopiedToAnotherWorkspaceOrProviderDoesNotDecryptAndTheStepFailsNotConnected() {
        String other = "ws-" + UUID.randomUUID().toString().substring(0, 8);
        put(ws, "thuzi", Map.of("apiKey", "th-key-OURS"));
        put(other, "thuzi", Map.of("apiKey", "th-key-THEIRS"));
        put(ws, "localcard", Map.of("apiKey", "lc-key-OURS"));
        copySealed(ws, "thuzi", other, "thuzi");
        copySealed(ws, "thuzi", ws, "localcard");
        provider.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"x-1\",\"link\":\"https://x/1\"}")));

        ActionResult otherWorkspace = run(other, "ContactThuziCheckIn", Map.of("eventId", "ev-1"));
        assertThat(otherWorkspace.path()).isEqualTo("Failure");
        assertThat(otherWorkspace.error().code()).isEqualTo("NotConnected");
        assertThat(otherWorkspace.error().message()).contains("the thuzi app of workspace " + other
                + " cannot be decrypted").contains("another workspace or provider").doesNotContain("th-key");
        ActionResult otherProvider = run(ws, "LocalCardGenerateCampaignGift", Map.of("campaignId", "camp-1",
                "giftValue", "10"));
        assertThat(otherProvider.path()).isEqualTo("Failure");
        assertThat(otherProvider.error().code()).isEqualTo("NotConnected");
        provider.verify(0, anyRequestedFor(anyUrl()));

        Map<String, Object> view = JsonCodec.toMap(given().get(url(other, "thuzi")).then().statusCode(200).extract()
                .asString());
        assertThat(view.get("secretsSet")).isNull();
        assertThat((String) view.get("secretsUnreadable")).contains("another workspace or provider");

        // the row it came from still works
        assertThat(run(ws, "ContactThuziCheckIn", Map.of("eventId", "ev-1")).path()).isEqualTo("Success");
        provider.verify(1, anyRequestedFor(anyUrl()));
        provider.verify(postRequestedFor(urlEqualTo("/v1/events/ev-1/check-ins"))
                .withHeader("Authorization", equalTo("Bearer th-key-OURS")));
    }

    /**
     * Rotation from the service's key A (id default) to a new key B: with B current and A still listed, every app
     * reads; re-encrypt rewrites every row with B (and a second run finds nothing to do); then a keyring of B alone
     * reads them all, and the service, which has A only, no longer does.
     */
    @Test
    void rotationReadsWithBothKeysReEncryptsEverythingWithTheNewOneAndTheOldKeyCanThenGo() {
        put(ws, "salesforce", Map.of("apiKey", "sf-ROT", "clientSecret", "cs-ROT"));
        put(ws, "mailchimp", Map.of("apiKey", "mc-ROT-us1"));
        String keyB = randomKey();
        Map<String, String> aAndB = Map.of("default", SecretKeyring.DEVELOPMENT_KEY, "b", keyB);
        ConnectedApps onBWithA = appsWith(pool, aAndB, "b");
        try {
            assertThat(find(onBWithA, ws, "salesforce").apiKey()).isEqualTo("sf-ROT");
            assertThat(find(onBWithA, ws, "salesforce").settings()).containsEntry("clientSecret", "cs-ROT");

            SecretReEncryption.Report report = new SecretReEncryption(onBWithA).run().await().atMost(WAIT);
            assertThat(report.currentKeyId()).isEqualTo("b");
            assertThat(report.rewritten()).isGreaterThanOrEqualTo(2);
            assertThat(report.unreadable()).noneMatch(u -> ws.equals(u.get("workspaceId")));
            assertThat(stored(ws, "salesforce").get("sealed")).startsWith("v1:b:");
            assertThat(stored(ws, "mailchimp").get("sealed")).startsWith("v1:b:");
            SecretReEncryption.Report again = new SecretReEncryption(onBWithA).run().await().atMost(WAIT);
            assertThat(again.rewritten()).as("nothing left under the old key").isZero();
            assertThat(again.keyIdsBefore()).doesNotContainKey("default");
            assertThat(again.alreadyCurrent()).isEqualTo(again.apps() - again.unreadable().size());

            ConnectedApps onBAlone = appsWith(pool, Map.of("b", keyB), "b");
            assertThat(find(onBAlone, ws, "salesforce").apiKey()).isEqualTo("sf-ROT");
            assertThat(find(onBAlone, ws, "salesforce").settings()).containsEntry("clientSecret", "cs-ROT");
            assertThat(find(onBAlone, ws, "mailchimp").apiKey()).isEqualTo("mc-ROT-us1");
            ActionResult onA = run(ws, "MailchimpArchive", Map.of("listId", "L1", "email", "ann@example.com"));
            assertThat(onA.error().code()).isEqualTo("NotConnected");
            assertThat(onA.error().message()).contains("key id 'b' is not configured");
        } finally {
            // back to the service's key, for the tests that follow in this JVM
            new SecretReEncryption(appsWith(pool, aAndB, "default")).run().await().atMost(WAIT);
        }
        assertThat(stored(ws, "salesforce").get("sealed")).startsWith("v1:default:");
    }

    /**
     * A row as versions before key ids left it: the API key sealed without key id or workspace, another credential
     * in plain text in settings_json. It is read (and its credential hidden) as it is; POST /api/admin/secrets/
     * re-encrypt binds it and moves the credential into the ciphertext.
     */
    @Test
    void rowsOfEarlierVersionsStillWorkAndTheReEncryptCommandEncryptsTheirPlainTextCredentials() throws Exception {
        pool.preparedQuery("INSERT INTO connected_app (key, workspace_id, provider, api_key_encrypted, base_url, "
                        + "settings_json, updated_at) VALUES ($1, $2, 'braze', $3, $4, $5, $6)")
                .execute(Tuple.of(ws + "/braze", ws, legacySeal(SecretKeyring.DEVELOPMENT_KEY, "bz-OLD"),
                        provider.base(), "{\"restApiKey\":\"bz-REST-OLD\",\"region\":\"eu\"}",
                        OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC)))
                .await().atMost(WAIT);
        String before = given().get(url(ws, "braze")).then().statusCode(200).extract().asString();
        assertThat(before).doesNotContain("bz-OLD", "bz-REST-OLD");
        assertThat(JsonCodec.toMap(before)).containsEntry("secretsSet", List.of("apiKey", "restApiKey"))
                .containsEntry("settings", Map.of("region", "eu"));
        provider.stubFor(post(urlEqualTo("/users/track")).withHeader("Authorization", equalTo("Bearer bz-OLD"))
                .willReturn(aResponse().withStatus(201).withBody("{\"message\":\"success\"}")));
        assertThat(run(ws, "BrazeTrackUser", Map.of("eventName", "visited")).path()).isEqualTo("Success");

        Map<String, Object> report = JsonCodec.toMap(given().post("/api/admin/secrets/re-encrypt").then()
                .statusCode(200).extract().asString());
        assertThat(report).containsEntry("currentKeyId", "default");
        assertThat((Integer) report.get("rewritten")).isGreaterThanOrEqualTo(1);
        assertThat((Integer) report.get("plainSettingsEncrypted")).isGreaterThanOrEqualTo(1);
        Map<String, String> row = stored(ws, "braze");
        assertThat(row.get("sealed")).startsWith("v1:default:");
        assertThat(row.get("sealed") + row.get("settings")).doesNotContain("bz-OLD", "bz-REST-OLD");
        assertThat(JsonCodec.toMap(row.get("settings"))).isEqualTo(Map.of("region", "eu"));
        AppCredentials after = find(apps, ws, "braze");
        assertThat(after.apiKey()).isEqualTo("bz-OLD");
        assertThat(after.settings()).isEqualTo(Map.of("region", "eu", "restApiKey", "bz-REST-OLD"));
        // now bound to its workspace like any other
        String other = "ws-" + UUID.randomUUID().toString().substring(0, 8);
        put(other, "braze", Map.of("apiKey", "bz-THEIRS"));
        copySealed(ws, "braze", other, "braze");
        assertThat(run(other, "BrazeTrackUser", Map.of("eventName", "visited")).error().code())
                .isEqualTo("NotConnected");
    }

    /**
     * Everything logged while secrets are saved, shown, used in a provider call that fails (503, tried again), refused
     * after a move, and re-encrypted: none of it carries a secret value. The capture is checked to have seen the
     * refusal and the re-encryption, so it is not vacuous.
     */
    @Test
    void noSecretValueReachesTheLogs() {
        Capture capture = new Capture();
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            put(ws, "salesforce", Map.of("apiKey", "sk-LOG-ONE", "clientSecret", "cs-LOG-TWO"));
            given().get(url(ws, "salesforce")).then().statusCode(200);
            provider.stubFor(post(urlEqualTo("/services/data/v60.0/sobjects/Contact"))
                    .willReturn(aResponse().withStatus(503).withBody("{\"error\":\"unavailable\"}")));
            ActionResult failed = run(ws, "SalesforceCreateObject", Map.of("objectType", "Contact",
                    "fields", Map.of("LastName", "Smith")));
            assertThat(failed.error().code()).isEqualTo("ProviderError");

            String other = "ws-" + UUID.randomUUID().toString().substring(0, 8);
            put(other, "salesforce", Map.of("apiKey", "sk-LOG-THREE"));
            copySealed(ws, "salesforce", other, "salesforce");
            assertThat(run(other, "SalesforceCreateObject", Map.of("objectType", "Contact",
                    "fields", Map.of("LastName", "Smith"))).error().code()).isEqualTo("NotConnected");
            given().post("/api/admin/secrets/re-encrypt").then().statusCode(200);
        } finally {
            root.removeHandler(capture);
        }
        List<String> lines = new ArrayList<>(capture.lines);
        assertThat(lines).anyMatch(l -> l.contains("cannot be decrypted"))
                .anyMatch(l -> l.contains("re-encrypted connected-app secrets"));
        assertThat(lines).noneMatch(l -> l.contains("sk-LOG-ONE") || l.contains("cs-LOG-TWO")
                || l.contains("sk-LOG-THREE"));
    }

    /** Every record the root logger publishes, message formatted and with its exception chain. */
    private static final class Capture extends Handler {
        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        Capture() {
            setLevel(Level.ALL);
        }

        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(record.getLoggerName() + " " + record.getLevel() + " ");
            line.append(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                line.append(" | ").append(t);
            }
            lines.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
