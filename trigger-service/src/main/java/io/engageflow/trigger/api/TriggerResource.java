package io.engageflow.trigger.api;

import io.engageflow.common.api.ApiException;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.trigger.domain.TriggerIntake;
import io.engageflow.trigger.domain.TriggerValidator;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Map;

/** HTTP intake: the same validation and de-duplication as the Kafka topic, with errors answered to the caller. */
@Path("/api/workspaces/{ws}/triggers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TriggerResource {
    private final TriggerIntake intake;

    public TriggerResource(TriggerIntake intake) {
        this.intake = intake;
    }

    /** 202 {"eventId","status":"accepted"} for a new trigger, 200 {"status":"duplicate"} for one seen before. */
    @POST
    public Uni<Response> post(@PathParam("ws") String workspace, String body) {
        Decoded<TriggerEvent> trigger = TriggerValidator.validate(body, workspace, Instant.now());
        if (!trigger.isOk()) {
            throw new ApiException(400, "invalid_trigger", "the trigger was not accepted", trigger.errors());
        }
        return intake.accept(trigger.value()).map(outcome -> Response
                .status(outcome == TriggerIntake.Outcome.ACCEPTED ? 202 : 200)
                .entity(Map.of("eventId", trigger.value().eventId(), "type", trigger.value().type(),
                        "status", outcome.name().toLowerCase()))
                .build());
    }
}
