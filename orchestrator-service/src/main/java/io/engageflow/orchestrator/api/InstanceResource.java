package io.engageflow.orchestrator.api;

import io.engageflow.common.auth.Allowed;
import io.engageflow.contracts.auth.Role;
import io.engageflow.common.api.ApiException;
import io.engageflow.orchestrator.domain.instance.EngineInput;
import io.engageflow.orchestrator.domain.instance.InstanceStatus;
import io.engageflow.orchestrator.engine.InstanceEngine;
import io.engageflow.orchestrator.persistence.IgnoredResult;
import io.engageflow.orchestrator.persistence.InstanceEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Instance history: list with filters, one instance with its steps, cancel. */
@Path("/api/workspaces/{ws}/instances")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceResource {
    private final InstanceEngine engine;

    public InstanceResource(InstanceEngine engine) {
        this.engine = engine;
    }

    @Allowed(Role.READER)
    @GET
    @WithSession
    public Uni<List<InstanceView>> list(@PathParam("ws") String ws, @QueryParam("workflowId") String workflowId,
                                        @QueryParam("contactId") String contactId,
                                        @QueryParam("status") String status,
                                        @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("limit is between 1 and 1000", List.of());
        }
        StringBuilder query = new StringBuilder("workspaceId = :ws");
        Map<String, Object> params = new HashMap<>(Map.of("ws", ws));
        if (workflowId != null) {
            query.append(" and workflowId = :wf");
            params.put("wf", workflowId);
        }
        if (contactId != null) {
            query.append(" and contactId = :contact");
            params.put("contact", contactId);
        }
        if (status != null) {
            try {
                params.put("status", InstanceStatus.of(status).json());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("status is one of running, completed, failed, cancelled", List.of());
            }
            query.append(" and status = :status");
        }
        return InstanceEntity.<InstanceEntity>find(query.toString(), Sort.descending("startedAt"), params)
                .page(0, limit).list()
                .map(rows -> {
                    List<InstanceView> views = new ArrayList<>();
                    rows.forEach(r -> views.add(InstanceView.of(r.toState())));
                    return views;
                });
    }

    @Allowed(Role.READER)
    @GET
    @Path("/{id}")
    @WithSession
    public Uni<InstanceView> get(@PathParam("ws") String ws, @PathParam("id") String id) {
        return InstanceEntity.<InstanceEntity>findById(id).map(row -> {
            if (row == null || !row.workspaceId.equals(ws)) {
                throw ApiException.notFound("instance " + id);
            }
            return InstanceView.of(row.toState());
        });
    }

    /** Results recorded for the instance but not applied: late after a timeout or cancel, duplicates, stale. */
    @Allowed(Role.READER)
    @GET
    @Path("/{id}/ignored-results")
    @WithSession
    public Uni<List<IgnoredResult>> ignoredResults(@PathParam("ws") String ws, @PathParam("id") String id) {
        return InstanceEntity.<InstanceEntity>findById(id).chain(row -> {
            if (row == null || !row.workspaceId.equals(ws)) {
                throw ApiException.notFound("instance " + id);
            }
            return IgnoredResult.<IgnoredResult>list("instanceId = ?1 order by id", id);
        });
    }

    @Allowed(Role.ADMIN)
    @POST
    @Path("/{id}/cancel")
    public Uni<InstanceView> cancel(@PathParam("ws") String ws, @PathParam("id") String id) {
        return engine.apply(List.of(new InstanceEngine.Input(id, ws, new EngineInput.Cancel()))).map(outcomes -> {
            InstanceEngine.Outcome outcome = outcomes.get(0);
            if (outcome.state() == null) {
                throw ApiException.notFound("instance " + id);
            }
            if (!outcome.decision().changed()) {
                throw new ApiException(409, "conflict", "instance " + id + " is already "
                        + outcome.state().status.json(), List.of());
            }
            return InstanceView.of(outcome.state());
        });
    }
}
