package io.engageflow.orchestrator.persistence;

import io.engageflow.orchestrator.config.OrchestratorSettings;
import io.engageflow.orchestrator.domain.definition.DefinitionParser;
import io.engageflow.orchestrator.domain.definition.WorkflowDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The definitions the engine runs, read with plain SQL. Versions never change once written, so parsed ones are kept
 * in a bounded least-recently-used cache; which workflows are active is read per batch (an activation on another
 * replica counts at once).
 */
@ApplicationScoped
public class DefinitionStore {
    private final Map<String, WorkflowDefinition> cache;

    public DefinitionStore(OrchestratorSettings settings, MeterRegistry metrics) {
        int cacheSize = settings.orchestrator().definitionCacheSize();
        this.cache = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, WorkflowDefinition> eldest) {
                return size() > cacheSize;
            }
        });
        metrics.gaugeMapSize("engageflow.definitions.cached", List.of(), cache);
    }

    /** The version's definition, or null when there is no such version. */
    public Uni<WorkflowDefinition> find(SqlClient client, String workspaceId, String workflowId, int version) {
        String key = WorkflowVersionEntity.key(workspaceId, workflowId, version);
        WorkflowDefinition cached = cache.get(key);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return client.preparedQuery("SELECT definition_json FROM workflow_version WHERE id = $1")
                .execute(Tuple.of(key)).map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    WorkflowDefinition def = DefinitionParser.parse(rows.iterator().next().getString(0)).definition();
                    cache.put(key, def);
                    return def;
                });
    }

    /**
     * An active workflow and the version new instances of it run; a paused one ({@code paused}) starts nothing, but
     * its triggers are counted as skipped.
     */
    public record ActiveWorkflow(String workspaceId, String id, int version, String triggerType, boolean paused) {
    }

    /** The workflow's latest version (the one new instances run), or null when there is no such workflow. */
    public Uni<Integer> latestVersion(SqlClient client, String workspaceId, String workflowId) {
        return client.preparedQuery("SELECT latest_version FROM workflow WHERE key = $1")
                .execute(Tuple.of(WorkflowEntity.key(workspaceId, workflowId)))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger(0));
    }

    /** Active and paused workflows for any of the (workspace, canonical trigger type) pairs, in id order. */
    public Uni<List<ActiveWorkflow>> active(SqlClient client, List<String> workspaces, List<String> types) {
        return client.preparedQuery("SELECT w.workspace_id, w.id, w.latest_version, w.trigger_type, w.status = 'paused' FROM workflow w "
                        + "JOIN (SELECT DISTINCT * FROM UNNEST($1::varchar[], $2::varchar[])) AS u(ws, t) "
                        + "ON w.workspace_id = u.ws AND w.trigger_type = u.t WHERE w.status IN ('active', 'paused') "
                        + "ORDER BY w.id")
                .execute(Tuple.of(workspaces.toArray(String[]::new), types.toArray(String[]::new)))
                .map(rows -> {
                    List<ActiveWorkflow> active = new ArrayList<>();
                    for (Row row : rows) {
                        active.add(new ActiveWorkflow(row.getString(0), row.getString(1), row.getInteger(2),
                                row.getString(3), row.getBoolean(4)));
                    }
                    return active;
                });
    }
}
