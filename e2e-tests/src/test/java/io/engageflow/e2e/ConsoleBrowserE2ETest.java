package io.engageflow.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.engageflow.testsupport.KafkaBroker;
import io.engageflow.testsupport.TestKeys;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 15, the admin console in a real browser (headless Chromium) on the five services: an admin signs in with an
 * API key, creates a workflow from a reference example, sees the validator's error at its line while typing, sees the
 * diagram, activates it; a trigger sent to trigger-service runs, and the run's timeline and diagram show the path it
 * took; statistics count it on the diagram's branch; a new version's differences; a connected app's key is set and
 * never shown back. A reader key sees the same pages without a lever, and is told 403 where it may not look.
 * Screenshots of each page go to e2e-tests/target/console-screenshots.
 */
class ConsoleBrowserE2ETest {
    private static final Path SHOTS = Path.of(System.getProperty("engageflow.root", ".."))
            .resolve("e2e-tests/target/console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(60);
    static GreenMail smtp;
    static Mesh mesh;
    final String ws = "console-" + UUID.randomUUID().toString().substring(0, 8);
    WebDriver browser;
    WebDriverWait wait;
    final List<String> consoleLines = new java.util.ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        assertThat(Path.of("/usr/bin/chromium")).as("Debian's chromium (apt-get install chromium chromium-driver; "
                + "deploy/local/test.sh installs it)").exists();
        assertThat(Path.of("/usr/bin/chromedriver")).as("Debian's chromium-driver").exists();
        Files.createDirectories(SHOTS);
        int smtpPort = Mesh.freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        // the console (on the orchestrator's origin) calls integration-actions-service's connected apps: that
        // service allows the console's origin, and the console is told where it is
        mesh = new Mesh(smtpPort, KafkaBroker.bootstrapServers(), Map.of(
                "orchestrator-service", Map.of("engageflow.console.integration-url",
                        "{url:integration-actions-service}"),
                "integration-actions-service", Map.of("quarkus.http.cors.enabled", "true",
                        "quarkus.http.cors.origins", "{url:orchestrator-service}")));
    }

    @AfterAll
    static void stop() {
        if (mesh != null) {
            mesh.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @BeforeEach
    void openBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,800", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, WAIT);
    }

    @AfterEach
    void closeBrowser() throws IOException {
        if (browser != null) {
            // what the page last showed and what its scripts logged: where to look when an assertion failed
            shot("last-page");
            Files.write(SHOTS.resolve("browser-console.log"), console());
            browser.quit();
        }
    }

    @Test
    void anAdminBuildsAWorkflowFromAnExampleAndFollowsItsRunAndAReaderOnlyLooks() throws IOException {
        String admin = createKey("admin");
        String reader = createKey("reader");

        // sign in
        open("#/workflows");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("apikey")));
        shot("01-sign-in");
        signIn(admin);
        assertThat(text(By.id("role"))).isEqualTo("admin");
        assertThat(text(By.cssSelector("#who .workspace"))).isEqualTo(ws);

        // 3. the editor: start from a reference example
        click(By.id("new-workflow"));
        // the preview draws a Split's branches side by side
        new Select(await(By.id("example"))).selectByValue("multi-channel-prize.json");
        wait.until(d -> d.findElements(By.cssSelector("#preview g.branch[data-step-id='notify']")).size() == 3);
        assertThat(browser.findElements(By.cssSelector("#preview g.branch[data-step-id='notify'] .branch-label")))
                .extracting(e -> e.getText()).containsExactly("branch 1", "branch 2", "branch 3");
        assertThat(y("#preview", "detailed_email")).isEqualTo(y("#preview", "urgent_sms"))
                .isEqualTo(y("#preview", "team_slack"));
        assertThat(x("#preview", "detailed_email")).isLessThan(x("#preview", "urgent_sms"));
        assertThat(x("#preview", "urgent_sms")).isLessThan(x("#preview", "team_slack"));
        // a Decision's cases and default as labelled branches, a Delay as a step
        js("const a = document.getElementById('definition'); a.value = arguments[0]; a.dispatchEvent(new Event('input'));",
                """
                {"name": "tiers", "trigger": {"type": "Loyalty.PointsAwarded"},
                 "steps": [{"id": "wait", "action": "Delay", "config": {"duration": "PT1H"}},
                           {"id": "tier", "action": "Decision", "config": {"cases": [
                              {"when": "trigger.data.total_points >= 1000", "path": "Gold"}], "default": "Other"},
                            "paths": {"Gold": [{"id": "gold", "action": "LoyaltyAddToTier", "config": {"tier": "Gold"}}]}}]}""");
        wait.until(d -> d.findElements(By.cssSelector("#preview g.branch[data-step-id='tier']")).size() == 2);
        assertThat(text(By.cssSelector("#preview g.branch[data-step-id='tier'][data-path='Gold'] .branch-label")))
                .isEqualTo("Gold");
        assertThat(text(By.cssSelector("#preview g.branch[data-step-id='tier'][data-path='Other'] .branch-label")))
                .isEqualTo("Other otherwise");
        assertThat(text(By.cssSelector("#preview g.node.kind-delay[data-step-id='wait']"))).contains("wait PT1H");
        assertThat(y("#preview", "wait")).isLessThan(y("#preview", "tier"));
        assertThat(y("#preview", "tier")).isLessThan(y("#preview", "gold"));
        new Select(await(By.id("example"))).selectByValue("data-captured-welcome.json");
        wait.until(d -> value(By.id("definition")).contains("\"valid_email\""));
        await(By.id("workflow-id")).sendKeys("welcome");
        awaitText(By.id("validation"), "Valid");
        // a typo typed into the Failure path's action: the validator's error appears at its line, its step marked
        String definition = value(By.id("definition"));
        int typoAt = definition.indexOf("\"ContactAddToList\"") + "\"ContactAddToList".length();
        js("const a = document.getElementById('definition'); a.focus(); a.setSelectionRange(arguments[0], arguments[0]);",
                typoAt);
        new Actions(browser).sendKeys("x").perform();
        WebElement error = await(By.cssSelector("#errors li[data-path='steps[0].paths.Failure[0].action']"));
        assertThat(error.getText()).contains("unknown action ContactAddToListx");
        int actionLine = lineOf(value(By.id("definition")), value(By.id("definition")).indexOf("\"ContactAddToListx\""));
        int stepLine = lineOf(definition, definition.indexOf("{\"id\": \"incomplete_list\""));
        assertThat(error.getAttribute("data-line")).isEqualTo(String.valueOf(actionLine));
        assertThat(browser.findElements(By.cssSelector(".gutter .err[data-line='" + actionLine + "']"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector(".marks .mark[data-line='" + actionLine + "']"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector(".gutter [data-line='" + stepLine + "']")).get(0)
                .getAttribute("class")).as("the line of the step the error is about").isIn("step-err", "err");
        assertThat(text(By.id("validation"))).isEqualTo("1 error");
        shot("03-editor-error");
        new Actions(browser).sendKeys(Keys.BACK_SPACE).perform();
        awaitText(By.id("validation"), "Valid");
        assertThat(browser.findElements(By.cssSelector("#errors li"))).isEmpty();
        // the preview draws the definition as it is typed
        assertThat(browser.findElements(By.cssSelector("#preview g.node[data-step-id='incomplete_list']"))).hasSize(1);
        shot("03-editor");
        click(By.id("save"));

        // 2. the diagram: trigger on top, the filter, its two labelled paths
        await(By.cssSelector("#diagram svg"));
        assertThat(browser.getCurrentUrl()).endsWith("#/workflow/welcome");
        assertDiagramOfWelcome("#diagram");
        assertThat(text(By.cssSelector("#diagram g.node.trigger"))).contains("When DataCaptured");
        shot("02-diagram");

        // 1. the list, activation
        click(By.cssSelector("button[data-action='activate']"));
        await(By.cssSelector("button[data-action='pause']"));
        open("#/workflows");
        WebElement row = await(By.cssSelector("#workflows tr[data-workflow-id='welcome']"));
        assertThat(row.getText()).contains("Data captured: welcome valid contacts", "DataCaptured", "active", "v1");
        assertThat(text(By.cssSelector("#workflows tr[data-workflow-id='welcome'] .runs24"))).isEqualTo("0");

        // 4. runs: a trigger sent to trigger-service shows up live and ends Success
        String email = "ann-" + ws + "@example.com";
        given().contentType(ContentType.JSON).body(Map.of("eventId", "ev-ann", "type", "DataCaptured",
                        "contact", Map.of("id", "c-ann", "email", email, "firstName", "Ann")))
                .post(mesh.url("trigger-service") + "/api/workspaces/" + ws + "/triggers").then().statusCode(202);
        click(By.cssSelector("#nav a[href='#/runs']"));
        await(By.id("filter-status"));
        WebElement run = await(By.cssSelector("#runs tr[data-instance-id]"));
        assertThat(run.getText()).contains("c-ann");
        wait.until(d -> "completed".equals(attribute(By.cssSelector("#runs tr[data-instance-id]"), "data-status")));
        shot("04-runs");
        // filters: by contact (nobody else) and by status
        await(By.id("filter-contact")).sendKeys("c-nobody");
        click(By.id("apply"));
        await(By.cssSelector("#runs td.empty"));
        js("document.getElementById('filter-contact').value = ''");
        new Select(await(By.id("filter-status"))).selectByValue("completed");
        click(By.id("apply"));
        click(By.cssSelector("#runs tr[data-status='completed'] a"));

        // 5. the run: timeline and the path taken on the diagram
        await(By.cssSelector("#timeline li[data-step-id='welcome_email']"));
        assertThat(browser.findElements(By.cssSelector("#timeline li"))).extracting(li -> li.getAttribute("data-step-id")
                + "=" + li.getAttribute("data-path")).containsExactly("valid_email=Success", "welcome_email=Success");
        assertThat(text(By.cssSelector("#timeline li[data-step-id='valid_email']"))).contains("completed", "1 attempt");
        assertThat(classes("#diagram g.branch[data-step-id='valid_email'][data-path='Success']")).contains("taken");
        assertThat(classes("#diagram g.branch[data-step-id='valid_email'][data-path='Failure']"))
                .doesNotContain("taken").contains("not-taken");
        assertThat(classes("#diagram g.node[data-step-id='welcome_email']")).contains("ran", "status-completed");
        assertThat(classes("#diagram g.node[data-step-id='incomplete_list']")).doesNotContain("ran");
        assertThat(browser.findElements(By.cssSelector("#diagram path.edge.seq.taken[data-from='$trigger']")))
                .hasSize(1);
        assertThat(browser.findElements(By.id("cancel"))).as("no cancel for an ended run").isEmpty();
        assertThat(browser.findElements(By.id("replay"))).hasSize(1);
        shot("05-run");

        // 6. statistics on the diagram's branches; the list counts the run of the last 24 h
        open("#/workflow/welcome");
        wait.until(d -> "1".equals(attribute(By.cssSelector(
                "#diagram g.branch[data-step-id='valid_email'][data-path='Success']"), "data-count")));
        assertThat(attribute(By.cssSelector("#diagram g.branch[data-step-id='valid_email'][data-path='Failure']"),
                "data-count")).isEqualTo("0");
        assertThat(text(By.cssSelector("#diagram g.branch[data-step-id='valid_email'][data-path='Success']")))
                .isEqualTo("Success · 1");
        assertThat(text(By.id("stats-line"))).contains("completed 1");
        shot("06-statistics");
        open("#/workflows");
        wait.until(d -> "1".equals(text(By.cssSelector("#workflows tr[data-workflow-id='welcome'] .runs24"))));
        shot("01-workflows");

        // a second version and its differences from the first
        open("#/edit/welcome");
        await(By.id("definition"));
        js("const a = document.getElementById('definition'); a.value = a.value.replace('Welcome, {{contact.firstName}}!', "
                + "'Hello {{contact.firstName}}'); a.dispatchEvent(new Event('input'));");
        awaitText(By.id("validation"), "Valid");
        assertThat(text(By.id("save"))).isEqualTo("Save as v2");
        click(By.id("save"));
        await(By.cssSelector("#diagram svg"));
        new Select(await(By.id("compare"))).selectByValue("1");
        WebElement changed = await(By.cssSelector("#diff tr[data-step-id='welcome_email']"));
        assertThat(changed.getText()).contains("changed", "config.subject");
        assertThat(browser.findElements(By.cssSelector("#diff tbody tr"))).hasSize(1);
        assertThat(classes("#diagram g.node[data-step-id='welcome_email']")).contains("diff-changed");
        js("document.getElementById('diff').scrollIntoView()");
        shot("02-diff");

        // 7. connected apps: a key is set and never shown back
        click(By.cssSelector("#nav a[href='#/apps']"));
        await(By.cssSelector("#apps tr[data-provider='salesforce'][data-connected='no']"));
        new Select(await(By.id("app-provider"))).selectByValue("salesforce");
        String secret = "sf-secret-" + UUID.randomUUID();
        await(By.id("app-key")).sendKeys(secret);
        click(By.id("app-save"));
        await(By.cssSelector("#apps tr[data-provider='salesforce'][data-connected='yes']"));
        assertThat(value(By.id("app-key"))).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain(secret);
        shot("07-connected-apps");

        // sign out; a reader sees, without levers
        click(By.id("signout"));
        await(By.id("apikey"));
        signIn(reader);
        assertThat(text(By.id("role"))).isEqualTo("reader");
        await(By.cssSelector("#workflows tr[data-workflow-id='welcome']"));
        assertThat(browser.findElements(By.id("read-only"))).hasSize(1);
        assertThat(browser.findElements(By.id("new-workflow"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("button[data-action]"))).isEmpty();
        shot("08-reader-workflows");
        open("#/workflow/welcome");
        await(By.cssSelector("#diagram g.node[data-step-id='valid_email']"));
        assertThat(browser.findElements(By.id("edit"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("button[data-action]"))).isEmpty();
        click(By.cssSelector("#nav a[href='#/runs']"));
        click(By.cssSelector("#runs tr[data-instance-id] a"));
        await(By.cssSelector("#timeline li"));
        assertThat(browser.findElements(By.id("replay"))).isEmpty();
        open("#/apps");
        await(By.id("apps-refused"));
        assertThat(text(By.id("apps-refused"))).startsWith("Forbidden (403)");
        assertThat(browser.findElements(By.id("app-save"))).isEmpty();
        shot("08-reader-403");
        open("#/edit/welcome");
        wait.until(d -> text(By.id("message")).startsWith("Forbidden (403)"));
        assertThat(browser.findElements(By.id("definition"))).isEmpty();

        // readable on a phone: the diagram scrolls inside its box, the page does not overflow sideways
        browser.manage().window().setSize(new Dimension(390, 844));
        open("#/workflows");
        await(By.cssSelector("#workflows tr[data-workflow-id='welcome']"));
        Number overflow = (Number) js("return document.documentElement.scrollWidth - window.innerWidth;");
        assertThat(overflow.intValue()).as("horizontal overflow of the page on a phone").isLessThanOrEqualTo(0);
        Number listOverflow = (Number) js("const w = document.querySelector('.table-wrap'); "
                + "return w.scrollWidth - w.clientWidth;");
        assertThat(listOverflow.intValue()).as("the list scrolled sideways on a phone").isLessThanOrEqualTo(0);
        shot("09-phone-workflows");
        // no script error on any page (the only refusals logged are the reader's 403s the pages showed)
        assertThat(console()).noneMatch(line -> line.contains("Uncaught") || line.contains("SyntaxError"));
    }

    /** What the page's scripts logged so far (all of it: Chromium hands each entry out once). */
    private List<String> console() {
        browser.manage().logs().get(LogType.BROWSER).forEach(entry -> consoleLines.add(entry.toString()));
        return consoleLines;
    }

    private void assertDiagramOfWelcome(String scope) {
        for (String step : List.of("valid_email", "welcome_email", "incomplete_list")) {
            assertThat(browser.findElements(By.cssSelector(scope + " g.node[data-step-id='" + step + "']")))
                    .as("node %s", step).hasSize(1);
        }
        assertThat(text(By.cssSelector(scope + " g.node[data-step-id='valid_email']"))).contains("ContactFilter");
        assertThat(text(By.cssSelector(scope + " g.branch[data-step-id='valid_email'][data-path='Success']"
                + " .branch-label"))).startsWith("Success");
        assertThat(text(By.cssSelector(scope + " g.branch[data-step-id='valid_email'][data-path='Failure']"
                + " .branch-label"))).startsWith("Failure");
        // the Success branch leads to welcome_email, the Failure branch to incomplete_list: side by side, below
        double filterY = y(scope, "valid_email");
        assertThat(y(scope, "welcome_email")).isGreaterThan(filterY).isEqualTo(y(scope, "incomplete_list"));
        assertThat(x(scope, "welcome_email")).isLessThan(x(scope, "incomplete_list"));
        assertThat(y(scope, "valid_email")).isGreaterThan(
                ((Number) js("return document.querySelector(arguments[0]).getBBox().y;",
                        scope + " g.node.trigger")).doubleValue());
    }

    private double x(String scope, String step) {
        return ((Number) js("return document.querySelector(arguments[0]).getBBox().x;",
                scope + " g.node[data-step-id='" + step + "']")).doubleValue();
    }

    private double y(String scope, String step) {
        return ((Number) js("return document.querySelector(arguments[0]).getBBox().y;",
                scope + " g.node[data-step-id='" + step + "']")).doubleValue();
    }

    // ---- helpers

    private String createKey(String role) {
        return TestKeys.withKey(TestKeys.OPERATOR_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "console-" + role, "role", role))
                .post(mesh.url("orchestrator-service") + "/api/workspaces/" + ws + "/api-keys")
                .then().statusCode(201).extract().path("key");
    }

    private void signIn(String key) {
        WebElement input = await(By.id("apikey"));
        input.clear();
        input.sendKeys(key);
        click(By.id("signin"));
        await(By.id("role"));
        await(By.cssSelector("#workflows, main .empty"));
    }

    private void open(String hash) {
        String target = mesh.url("orchestrator-service") + "/console/" + hash;
        if (browser.getCurrentUrl().startsWith(mesh.url("orchestrator-service") + "/console/")) {
            js("location.hash = arguments[0];", hash);
        } else {
            browser.get(target);
        }
    }

    private WebElement await(By by) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(by));
    }

    private void awaitText(By by, String text) {
        wait.until(d -> text.equals(text(by)));
    }

    /** Clicks what {@code by} finds once it is clickable; a page that re-rendered meanwhile is looked at again. */
    private void click(By by) {
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            WebElement clickable = ExpectedConditions.elementToBeClickable(by).apply(d);
            if (clickable == null) {
                return false;
            }
            clickable.click();
            return true;
        });
    }

    private String text(By by) {
        List<WebElement> found = browser.findElements(by);
        if (found.isEmpty()) {
            return "";
        }
        return (String) js("return arguments[0].textContent;", found.get(0));
    }

    private String value(By by) {
        return await(by).getDomProperty("value");
    }

    private String attribute(By by, String name) {
        List<WebElement> found = browser.findElements(by);
        return found.isEmpty() ? null : found.get(0).getAttribute(name);
    }

    /** The classes of what {@code css} finds, one by one. */
    private List<String> classes(String css) {
        return List.of(await(By.cssSelector(css)).getAttribute("class").trim().split("\\s+"));
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static int lineOf(String text, int offset) {
        return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }

    private void shot(String name) throws IOException {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SHOTS.resolve(name + ".png"), png);
    }
}
