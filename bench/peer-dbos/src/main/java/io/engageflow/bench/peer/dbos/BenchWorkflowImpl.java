package io.engageflow.bench.peer.dbos;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.txstep.JdbcStepFactory;
import dev.dbos.transact.workflow.StepOptions;
import dev.dbos.transact.workflow.Workflow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The three steps as DBOS steps: the filter and the webhook are checkpointed steps in the system database; the coupon
 * is a transactional step, its output recorded in the coupon's own transaction (tx_step_outputs in the application
 * database), so a recovered workflow never takes a second coupon.
 */
public final class BenchWorkflowImpl implements BenchWorkflow {
    private final DBOS dbos;
    private final JdbcStepFactory transactions;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    BenchWorkflowImpl(DBOS dbos, JdbcStepFactory transactions) {
        this.dbos = dbos;
        this.transactions = transactions;
    }

    @Override
    @Workflow(name = "bench")
    public String run(String triggerId, String contactId, String email, String webhook) {
        boolean valid = dbos.runStep(() -> email != null && email.contains("@"), "ContactFilter");
        if (!valid) {
            return "Failure";
        }
        JdbcStepFactory.TransactionalFunction<String, SQLException> coupon =
                conn -> Coupons.issue(conn, triggerId, contactId, "bench");
        String code;
        try {
            code = transactions.txStep(coupon, "ContactCouponIssue");
        } catch (SQLException e) {
            throw new IllegalStateException("coupon transaction failed", e);
        }
        if (code == null) {
            return "OfferLimitsExceeded";
        }
        String body = "{\"id\": \"" + triggerId + "\", \"contact\": \"" + contactId + "\", \"code\": \"" + code
                + "\"}";
        dbos.runStep(() -> post(webhook, triggerId, body), new StepOptions("HttpRequest")
                .withMaxAttempts(10).withRetryInterval(Duration.ofMillis(200)));
        return "Success";
    }

    /** One attempt; a failure (refused, timed out, non-2xx) throws, and DBOS retries the step. */
    private int post(String url, String triggerId, String body) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json").header("Idempotency-Key", triggerId)
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("webhook answered " + response.statusCode());
            }
            return response.statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
