package io.engageflow.orchestrator.api;

import io.engageflow.common.auth.Allowed;
import io.engageflow.contracts.auth.Role;
import io.engageflow.common.api.ApiException;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.orchestrator.domain.instance.Decision;
import io.engageflow.orchestrator.domain.instance.EngineInput;
import io.engageflow.orchestrator.domain.instance.RunStatus;
import io.engageflow.orchestrator.engine.AdminRuns;
import io.engageflow.orchestrator.engine.InstanceEngine;
import io.engageflow.orchestrator.persistence.IgnoredResult;
import io.engageflow.orchestrator.persistence.InstanceEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
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
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Instance history: list with filters (workflow, contact, status, start time), counts, one instance with its steps, cancel. */
@Path("/api/workspaces/{ws}/instances")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceResource {
    private final InstanceEngine engine;
    private final AdminRuns runs;

    public InstanceResource(InstanceEngine engine, AdminRuns runs) {
        this.engine = engine;
        this.runs = runs;
    }

    @Allowed(Role.READER)
    @GET
    @WithSession
    public Uni<List<InstanceView>> list(@PathParam("ws") String ws, @QueryParam("workflowId") String workflowId,
                                        @QueryParam("contactId") String contactId,
                                        @QueryParam("status") String status,
                                        @QueryParam("test") @DefaultValue("false") boolean test,
                                        @QueryParam("from") String from, @QueryParam("to") String to,
                                        @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("limit is between 1 and 1000", List.of());
        }
        Instant startedFrom = instant("from", from);
        Instant startedBefore = instant("to", to);
        if (startedFrom != null && startedBefore != null && !startedFrom.isBefore(startedBefore)) {
            throw ApiException.badRequest("from is before to", List.of());
        }
        // test runs are kept apart: listed only with ?test=true, and then only they
        StringBuilder query = new StringBuilder("workspaceId = :ws and test = :test");
        Map<String, Object> params = new HashMap<>(Map.of("ws", ws, "test", test));
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
                params.put("status", RunStatus.of(status).json());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("status is one of running, completed, failed, cancelled", List.of());
            }
            query.append(" and status = :status");
        }
        // the start time in [from, to), as the bulk replay's range
        if (startedFrom != null) {
            query.append(" and startedAt >= :from");
            params.put("from", startedFrom);
        }
        if (startedBefore != null) {
            query.append(" and startedAt < :to");
            params.put("to", startedBefore);
        }
        return InstanceEntity.<InstanceEntity>find(query.toString(), Sort.descending("startedAt"), params)
                .page(0, limit).list()
                .map(rows -> {
                    List<InstanceView> views = new ArrayList<>();
                    rows.forEach(r -> views.add(InstanceView.of(r.toState())));
                    return views;
                });
    }

    /**
     * How many real runs (test runs aside) of each workflow started in [{@code from}, {@code to}) (to: now when
     * absent), by status: {@code {"workflows": {workflowId: {status: n}}}}. The console's "runs in the last 24 h".
     */
    @Allowed(Role.READER)
    @GET
    @Path("/counts")
    @WithSession
    public Uni<Map<String, Object>> counts(@PathParam("ws") String ws, @QueryParam("from") String from,
                                           @QueryParam("to") String to) {
        Instant startedFrom = instant("from", from);
        if (startedFrom == null) {
            throw ApiException.badRequest("from is required, an ISO instant, e.g. 2026-11-25T00:00:00Z", List.of());
        }
        Instant startedBefore = to == null ? Instant.now() : instant("to", to);
        if (!startedFrom.isBefore(startedBefore)) {
            throw ApiException.badRequest("from is before to", List.of());
        }
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                        "select workflowId, status, count(*) from InstanceEntity where workspaceId = :ws "
                                + "and test = false and startedAt >= :from and startedAt < :to "
                                + "group by workflowId, status", Object[].class)
                .setParameter("ws", ws).setParameter("from", startedFrom).setParameter("to", startedBefore)
                .getResultList())
                .map(rows -> {
                    Map<String, Map<String, Long>> byWorkflow = new TreeMap<>();
                    for (Object[] row : rows) {
                        byWorkflow.computeIfAbsent((String) row[0], k -> new TreeMap<>())
                                .put((String) row[1], ((Number) row[2]).longValue());
                    }
                    return Map.of("from", startedFrom, "to", startedBefore, "workflows", byWorkflow);
                });
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " is an ISO instant, e.g. 2026-11-25T00:00:00Z", List.of());
        }
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

    /**
     * A new run of the instance's trigger, linked to it ({@code replayOf}), on the workflow's latest version or, with
     * {@code ?version=original}, on the original's. Its effects happen again: the new instance's commands have new
     * commandIds ({@code effectsRepeat}).
     */
    @Allowed(Role.ADMIN)
    @POST
    @Path("/{id}/replay")
    public Uni<Response> replay(@PathParam("ws") String ws, @PathParam("id") String id,
                                @QueryParam("version") String version) {
        if (version != null && !"original".equals(version)) {
            throw ApiException.badRequest("version is absent (the workflow's latest version) or original",
                    List.of());
        }
        return runs.replay(ws, id, version != null).map(started -> {
            Map<String, Object> answer = JsonCodec.toMap(JsonCodec.encode(InstanceView.of(started)));
            answer.put("effectsRepeat", true);
            answer.put("note", "a replay is a new run with new commandIds: every step it reaches acts again "
                    + "(an email is sent, a coupon issued again)");
            return Response.status(201).entity(answer).build();
        });
    }

    /** The failed step of a failed instance runs again with its next attempt, and the instance goes on. */
    @Allowed(Role.ADMIN)
    @POST
    @Path("/{id}/retry-step")
    public Uni<InstanceView> retryStep(@PathParam("ws") String ws, @PathParam("id") String id) {
        return engine.apply(List.of(new InstanceEngine.Input(id, ws, new EngineInput.RetryStep()))).map(outcomes -> {
            InstanceEngine.Outcome outcome = outcomes.get(0);
            if (outcome.state() == null) {
                throw ApiException.notFound("instance " + id);
            }
            if (outcome.decision() instanceof Decision.Rejected rejected) {
                throw new ApiException(409, "conflict", "instance " + id + " has no failed step to retry: "
                        + rejected.detail(), List.of());
            }
            return InstanceView.of(outcome.state());
        });
    }
}
