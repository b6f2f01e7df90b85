package io.engageflow.trigger.api;

import io.engageflow.common.api.ApiException;
import io.engageflow.common.api.ErrorMappers;
import io.engageflow.common.auth.Allowed;
import io.engageflow.contracts.auth.Role;
import io.engageflow.trigger.config.TriggerSettings;
import io.engageflow.trigger.domain.TriggerValidator;
import io.engageflow.trigger.domain.Verdict;
import io.engageflow.trigger.messaging.TriggerIntake;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * HTTP intake: the same checks and the same de-duplicating, forwarding path as the Kafka topic, one trigger at a
 * time, with the answer to the caller: 202 once the broker has the forwarded trigger, 200 for a duplicate, 400 with
 * the reasons for an invalid trigger, 413 for one over the size limit, 503 when an outage outlasts the wait.
 */
@Allowed(Role.PUBLISHER)
@Path("/api/workspaces/{ws}/triggers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TriggerResource {
    private final TriggerValidator validator;
    private final TriggerIntake intake;
    private final TriggerSettings limits;

    public TriggerResource(TriggerValidator validator, TriggerIntake intake, TriggerSettings limits) {
        this.validator = validator;
        this.intake = intake;
        this.limits = limits;
    }

    /** 202 {"eventId","type","status":"accepted"} for a new trigger, 200 {"status":"duplicate"} for one seen before. */
    @POST
    public Uni<Response> post(@PathParam("ws") String workspace, String body) {
        Verdict verdict = validator.check(body, workspace, Instant.now());
        if (verdict instanceof Verdict.Rejected rejected) {
            throw rejected.tooLarge()
                    ? new ApiException(413, "trigger_too_large", rejected.reason(), rejected.reasons())
                    : new ApiException(400, "invalid_trigger", "the trigger was not accepted", rejected.reasons());
        }
        Verdict.Valid valid = (Verdict.Valid) verdict;
        return intake.acceptWithin(valid, limits.httpWait())
                .map(outcome -> Response.status(outcome == TriggerIntake.Outcome.ACCEPTED ? 202 : 200)
                        .entity(Map.of("eventId", valid.trigger().eventId(), "type", valid.trigger().type(),
                                "status", outcome.name().toLowerCase()))
                        .build())
                .onFailure(TriggerIntake.Unavailable.class).recoverWithItem(e -> ErrorMappers.body(503,
                        "unavailable", e.getMessage(), List.of()));
    }
}
