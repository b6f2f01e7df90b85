package io.engageflow.orchestrator.api;

import io.engageflow.common.auth.Allowed;
import io.engageflow.contracts.auth.Role;
import com.fasterxml.jackson.databind.JsonNode;
import io.engageflow.common.api.ApiException;
import io.engageflow.contracts.TriggerEvent;
import io.engageflow.contracts.TriggerTypes;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.orchestrator.domain.definition.DefinitionParser;
import io.engageflow.orchestrator.domain.definition.DefinitionValidator;
import io.engageflow.orchestrator.domain.definition.ValidationError;
import io.engageflow.orchestrator.domain.stats.WorkflowStats;
import io.engageflow.orchestrator.engine.AdminRuns;
import io.engageflow.orchestrator.persistence.StatsStore;
import io.engageflow.orchestrator.persistence.WorkflowEntity;
import io.engageflow.orchestrator.persistence.WorkflowVersionEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The admin API for workflow definitions (CONTRACT.md): versioned, validated, activated per workflow. */
@Path("/api/workspaces/{ws}/workflows")
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowResource {
    private final StatsStore stats;
    private final AdminRuns runs;

    public WorkflowResource(StatsStore stats, AdminRuns runs) {
        this.stats = stats;
        this.runs = runs;
    }

    @Allowed(Role.ADMIN)
    @POST
    @Path("/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> validate(String body) {
        List<ValidationError> errors = DefinitionValidator.check(DefinitionParser.parse(body));
        return Map.of("valid", errors.isEmpty(), "errors", errors);
    }

    /** Creates version 1 as a draft. The body may carry an {@code id} (letters, digits, - and _); else one is made. */
    @Allowed(Role.ADMIN)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    public Uni<Response> create(@PathParam("ws") String ws, String body) {
        DefinitionParser.Parsed parsed = checked(body);
        String id = parsed.normalized().hasNonNull("id") ? parsed.normalized().get("id").asText()
                : "wf-" + UUID.randomUUID().toString().substring(0, 8);
        if (!id.matches("[A-Za-z0-9_-]{1,100}")) {
            throw ApiException.invalid("invalid_definition", "the definition is not valid",
                    List.of(new ValidationError("id", "an id is 1-100 letters, digits, - or _")));
        }
        return WorkflowEntity.<WorkflowEntity>findById(WorkflowEntity.key(ws, id)).chain(existing -> {
            if (existing != null) {
                throw new ApiException(409, "conflict", "workflow " + id + " exists; PUT a new version", List.of());
            }
            Instant now = Instant.now();
            WorkflowEntity wf = new WorkflowEntity();
            wf.key = WorkflowEntity.key(ws, id);
            wf.id = id;
            wf.workspaceId = ws;
            wf.status = WorkflowEntity.DRAFT;
            wf.createdAt = now;
            return saveVersion(wf, parsed, 1, now)
                    .map(view -> Response.status(201).entity(view).build());
        });
    }

    /** A new version; running instances keep the version they started with. */
    @Allowed(Role.ADMIN)
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    public Uni<WorkflowView> update(@PathParam("ws") String ws, @PathParam("id") String id, String body) {
        DefinitionParser.Parsed parsed = checked(body);
        return find(ws, id).chain(wf -> saveVersion(wf, parsed, wf.latestVersion + 1, Instant.now()));
    }

    @Allowed(Role.READER)
    @GET
    @WithSession
    public Uni<List<Map<String, Object>>> list(@PathParam("ws") String ws) {
        return WorkflowEntity.<WorkflowEntity>list("workspaceId", Sort.by("createdAt"), ws)
                .map(rows -> rows.stream().map(wf -> Map.<String, Object>of("id", wf.id, "name", wf.name,
                        "status", wf.status, "latestVersion", wf.latestVersion, "triggerType", wf.triggerType))
                        .toList());
    }

    @Allowed(Role.READER)
    @GET
    @Path("/{id}")
    @WithSession
    public Uni<WorkflowView> latest(@PathParam("ws") String ws, @PathParam("id") String id) {
        return find(ws, id).chain(wf -> view(wf, wf.latestVersion));
    }

    @Allowed(Role.READER)
    @GET
    @Path("/{id}/versions/{version}")
    @WithSession
    public Uni<WorkflowView> version(@PathParam("ws") String ws, @PathParam("id") String id,
                                     @PathParam("version") int version) {
        return find(ws, id).chain(wf -> view(wf, version));
    }

    /**
     * The workflow's runs at a glance (CONTRACT.md, "Workflow statistics"): all versions together, or {@code version}
     * only. Read from counters the engine keeps as results arrive, never from the instances.
     */
    @Allowed(Role.READER)
    @GET
    @Path("/{id}/stats")
    public Uni<WorkflowStats> stats(@PathParam("ws") String ws, @PathParam("id") String id,
                                    @QueryParam("version") String version) {
        Integer v = null;
        if (version != null) {
            try {
                v = Integer.valueOf(version);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("version is a whole number, e.g. ?version=2", List.of());
            }
        }
        Integer asked = v;
        return stats.read(ws, id, asked).map(found -> found.orElseThrow(() -> ApiException.notFound(
                asked == null ? "workflow " + id : "version " + asked + " of workflow " + id)));
    }

    @Allowed(Role.ADMIN)
    @POST
    @Path("/{id}/activate")
    @WithTransaction
    public Uni<WorkflowView> activate(@PathParam("ws") String ws, @PathParam("id") String id) {
        return setStatus(ws, id, WorkflowEntity.ACTIVE);
    }

    @Allowed(Role.ADMIN)
    @POST
    @Path("/{id}/deactivate")
    @WithTransaction
    public Uni<WorkflowView> deactivate(@PathParam("ws") String ws, @PathParam("id") String id) {
        return setStatus(ws, id, WorkflowEntity.INACTIVE);
    }

    /** An active workflow stops starting instances (its triggers count as skipped, reason paused); 409 otherwise. */
    @Allowed(Role.ADMIN)
    @POST
    @Path("/{id}/pause")
    @WithTransaction
    public Uni<WorkflowView> pause(@PathParam("ws") String ws, @PathParam("id") String id) {
        return moveStatus(ws, id, WorkflowEntity.ACTIVE, WorkflowEntity.PAUSED);
    }

    /** A paused workflow is active again: the next trigger starts an instance; 409 when it is not paused. */
    @Allowed(Role.ADMIN)
    @POST
    @Path("/{id}/resume")
    @WithTransaction
    public Uni<WorkflowView> resume(@PathParam("ws") String ws, @PathParam("id") String id) {
        return moveStatus(ws, id, WorkflowEntity.PAUSED, WorkflowEntity.ACTIVE);
    }

    /**
     * Replays, in the background and at most {@code perSecond} a second (default 5, at most 50), every failed run of
     * the workflow started in [{@code from}, {@code to}) that has no replay yet; answers 202 with their count.
     */
    @Allowed(Role.ADMIN)
    @POST
    @Path("/{id}/replay-failed")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> replayFailed(@PathParam("ws") String ws, @PathParam("id") String id, String body) {
        JsonNode asked = objectBody(body, "{from, to, perSecond}");
        Instant from = instant(asked, "from");
        Instant to = instant(asked, "to");
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from is before to", List.of());
        }
        int perSecond = AdminRuns.DEFAULT_PER_SECOND;
        if (asked.hasNonNull("perSecond")) {
            JsonNode n = asked.get("perSecond");
            if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1
                    || n.asInt() > AdminRuns.MAX_PER_SECOND) {
                throw ApiException.badRequest("perSecond is a whole number from 1 to " + AdminRuns.MAX_PER_SECOND,
                        List.of());
            }
            perSecond = n.asInt();
        }
        return runs.replayFailed(ws, id, from, to, perSecond)
                .map(count -> Response.status(202).entity(Map.of("count", count)).build());
    }

    /** A request's JSON object (an empty body is {}); 400 when it is not one. */
    private static JsonNode objectBody(String body, String fields) {
        return JsonCodec.parse(body == null || body.isBlank() ? "{}" : body).toOptional().filter(JsonNode::isObject)
                .orElseThrow(() -> ApiException.badRequest("the body is a JSON object " + fields, List.of()));
    }

    private static Instant instant(JsonNode body, String field) {
        try {
            return Instant.parse(body.path(field).asText(""));
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field + " is an ISO instant, e.g. 2026-11-25T00:00:00Z", List.of());
        }
    }

    /**
     * A test run of the workflow's latest version (draft or not) for {@code trigger}, with {@code forcePaths}
     * ({@code stepId: path}); answers the run view ({@code test: true}) once the run ended, or after 30 s as it
     * stands.
     */
    @Allowed(Role.ADMIN)
    @POST
    @Path("/{id}/test")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<InstanceView> test(@PathParam("ws") String ws, @PathParam("id") String id, String body) {
        JsonNode asked = objectBody(body, "{trigger, forcePaths}");
        TriggerEvent trigger = asked.path("trigger").isObject()
                ? JsonCodec.fromTree(asked.get("trigger"), TriggerEvent.class).toOptional().orElse(null) : null;
        if (trigger == null || trigger.contact() == null || trigger.contact().id() == null) {
            throw ApiException.invalid("invalid_test", "the test run is not valid", List.of(new ValidationError(
                    "trigger", "a trigger with a contact and its id is required, e.g. {\"contact\": {\"id\": "
                            + "\"c-1\"}, \"data\": {}}")));
        }
        Map<String, String> forcePaths = new LinkedHashMap<>();
        JsonNode forced = asked.path("forcePaths");
        if (!forced.isMissingNode() && !forced.isNull()) {
            if (!forced.isObject()) {
                throw ApiException.invalid("invalid_force_paths", "a forced path cannot be taken",
                        List.of(new ValidationError("forcePaths", "an object {stepId: path}")));
            }
            forced.fields().forEachRemaining(e -> forcePaths.put(e.getKey(), e.getValue().isTextual()
                    ? e.getValue().asText() : null));
        }
        return runs.test(ws, id, trigger, forcePaths).map(InstanceView::of);
    }

    private Uni<WorkflowView> moveStatus(String ws, String id, String from, String to) {
        return find(ws, id).chain(wf -> {
            if (!from.equals(wf.status)) {
                throw new ApiException(409, "conflict", "workflow " + id + " is " + wf.status + ", not " + from
                        + ": only " + (from.equals(WorkflowEntity.ACTIVE) ? "an active workflow is paused"
                        : "a paused workflow is resumed"), List.of());
            }
            wf.status = to;
            wf.updatedAt = Instant.now();
            return view(wf, wf.latestVersion);
        });
    }

    private Uni<WorkflowView> setStatus(String ws, String id, String status) {
        return find(ws, id).chain(wf -> {
            wf.status = status;
            wf.updatedAt = Instant.now();
            return view(wf, wf.latestVersion);
        });
    }

    private static DefinitionParser.Parsed checked(String body) {
        DefinitionParser.Parsed parsed = DefinitionParser.parse(body);
        List<ValidationError> errors = DefinitionValidator.check(parsed);
        if (!errors.isEmpty()) {
            throw ApiException.invalid("invalid_definition", "the definition is not valid", errors);
        }
        return parsed;
    }

    private static Uni<WorkflowView> saveVersion(WorkflowEntity wf, DefinitionParser.Parsed parsed, int version,
                                                 Instant now) {
        wf.name = parsed.definition().name();
        wf.latestVersion = version;
        wf.triggerType = TriggerTypes.canonical(parsed.definition().triggerType()).orElseThrow();
        wf.updatedAt = now;
        WorkflowVersionEntity v = new WorkflowVersionEntity();
        v.id = WorkflowVersionEntity.key(wf.workspaceId, wf.id, version);
        v.workspaceId = wf.workspaceId;
        v.workflowId = wf.id;
        v.version = version;
        v.definitionJson = JsonCodec.encode(parsed.normalized());
        v.createdAt = now;
        return wf.persist().chain(() -> v.persist())
                .replaceWith(() -> toView(wf, version, parsed.normalized()));
    }

    private static Uni<WorkflowEntity> find(String ws, String id) {
        return WorkflowEntity.<WorkflowEntity>findById(WorkflowEntity.key(ws, id)).map(wf -> {
            if (wf == null) {
                throw ApiException.notFound("workflow " + id);
            }
            return wf;
        });
    }

    private static Uni<WorkflowView> view(WorkflowEntity wf, int version) {
        return WorkflowVersionEntity.<WorkflowVersionEntity>findById(
                        WorkflowVersionEntity.key(wf.workspaceId, wf.id, version))
                .map(v -> {
                    if (v == null) {
                        throw ApiException.notFound("version " + version + " of workflow " + wf.id);
                    }
                    return toView(wf, version, JsonCodec.parse(v.definitionJson).value());
                });
    }

    private static WorkflowView toView(WorkflowEntity wf, int version, JsonNode definition) {
        return new WorkflowView(wf.id, wf.workspaceId, wf.name, wf.status, version, wf.latestVersion, wf.triggerType,
                wf.createdAt, wf.updatedAt, definition);
    }
}
