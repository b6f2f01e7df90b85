package io.engageflow.orchestrator.console;

import io.engageflow.orchestrator.config.OrchestratorSettings;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The admin console's routes besides its static files (META-INF/resources/console): {@code /console} → the page, and
 * {@code /console/config.json}, where the page learns the base URL of the API it cannot reach on this origin
 * (integration-actions-service's connected apps). Open without a key, as the page itself: it holds no secret.
 */
@ApplicationScoped
public class ConsoleRoutes {
    private final String integrationUrl;

    public ConsoleRoutes(OrchestratorSettings settings) {
        this.integrationUrl = settings.console().integrationUrl();
    }

    void routes(@Observes Router router) {
        // a route's path also matches with a trailing slash: only the bare /console is sent on to the page
        router.get("/console").handler(ctx -> {
            if (ctx.request().path().equals("/console")) {
                ctx.redirect("/console/");
            } else {
                ctx.next();
            }
        });
        router.get("/console/config.json").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(new JsonObject().put("integrationUrl", stripSlash(integrationUrl)).encode()));
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
