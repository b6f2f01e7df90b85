package io.engageflow.orchestrator.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.engageflow.contracts.auth.Role;
import io.engageflow.testsupport.AuthMatrix;
import io.engageflow.testsupport.RealInfrastructure;
import io.engageflow.testsupport.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, the admin console: served at /console without a key (it holds none; every call it makes carries the
 * signed-in key), everything it loads from this origin; it learns a key's workspace and role from GET /api/whoami
 * and the connected-apps API's base URL from /console/config.json.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = @ResourceArg(name = "database",
        value = "engageflow_orchestrator_test"))
class ConsoleTest {
    private static final Pattern LOADED = Pattern.compile("(?:src|href)=\"([^\"]+)\"|from '([^']+)'|import\\(['\"]([^'\"]+)");

    @Test
    void theConsoleIsServedWithoutAKeyAndLoadsNothingFromElsewhere() {
        given().redirects().follow(false).get("/console").then().statusCode(302)
                .header("Location", org.hamcrest.Matchers.endsWith("/console/"));
        String page = TestKeys.withoutKey().get("/console/").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.containsString("text/html")).extract().asString();
        assertThat(page).contains("<script type=\"module\" src=\"js/app.js\"></script>");
        for (String file : List.of("/console/", "/console/js/app.js", "/console/js/api.js", "/console/js/diagram.js",
                "/console/js/jsonpos.js", "/console/console.css")) {
            String text = TestKeys.withoutKey().get(file).then().statusCode(200).extract().asString();
            Matcher m = LOADED.matcher(text);
            while (m.find()) {
                String target = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                assertThat(target).as("what %s loads", file).doesNotContain("//");
            }
            assertThat(text).as("%s imports no stylesheet or font from elsewhere", file).doesNotContain("@import");
        }
        TestKeys.withoutKey().get("/console/examples/competition-coupons.json").then().statusCode(200)
                .body("trigger.type", equalTo("Competition.EntrySubmitted"));
    }

    @Test
    void configTellsTheConsoleWhereConnectedAppsAreWithoutAKey() {
        // src/test/resources/application.properties sets it; the default is http://localhost:8084
        TestKeys.withoutKey().get("/console/config.json").then().statusCode(200)
                .body("integrationUrl", equalTo("http://integrations.test:8084"));
    }

    @Test
    void whoamiTellsAKeysWorkspaceAndRole() {
        String ws = AuthMatrix.freshWorkspace();
        AuthMatrix.Granted reader = AuthMatrix.grant(ws, Role.READER);
        AuthMatrix.Granted admin = AuthMatrix.grant(ws, Role.ADMIN);
        AuthMatrix.Granted publisher = AuthMatrix.grant(ws, Role.PUBLISHER);
        // the orchestrator learns a granted key from auth.api-keys
        Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                TestKeys.withKey(publisher.key()).get("/api/whoami").statusCode() == 403);
        TestKeys.withKey(reader.key()).get("/api/whoami").then().statusCode(200)
                .body("workspace", equalTo(ws)).body("role", equalTo("reader")).body("operator", equalTo(false));
        TestKeys.withKey(admin.key()).get("/api/whoami").then().statusCode(200)
                .body("workspace", equalTo(ws)).body("role", equalTo("admin"));
        TestKeys.withKey(publisher.key()).get("/api/whoami").then().statusCode(403).body("error", equalTo("forbidden"));
        TestKeys.withKey(TestKeys.OPERATOR_KEY).get("/api/whoami").then().statusCode(200)
                .body("workspace", nullValue()).body("role", equalTo("admin")).body("operator", equalTo(true));
        TestKeys.withoutKey().get("/api/whoami").then().statusCode(401);
        AuthMatrix.revoke(reader);
        Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                TestKeys.withKey(reader.key()).get("/api/whoami").statusCode() == 401);
    }
}
