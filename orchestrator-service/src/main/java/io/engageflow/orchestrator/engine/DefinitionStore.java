package io.engageflow.orchestrator.engine;

import io.engageflow.orchestrator.domain.definition.DefinitionParser;
import io.engageflow.orchestrator.domain.definition.WorkflowDefinition;
import io.engageflow.orchestrator.persistence.WorkflowVersionEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Parsed definitions by workflow and version. Versions never change once written, so they are cached. */
@ApplicationScoped
public class DefinitionStore {
    private final Map<String, WorkflowDefinition> cache = new ConcurrentHashMap<>();

    public Uni<WorkflowDefinition> get(String workspaceId, String workflowId, int version) {
        String key = WorkflowVersionEntity.key(workspaceId, workflowId, version);
        WorkflowDefinition cached = cache.get(key);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return WorkflowVersionEntity.<WorkflowVersionEntity>findById(key).map(row -> {
            if (row == null) {
                throw new IllegalStateException("workflow " + workflowId + " has no version " + version);
            }
            WorkflowDefinition def = DefinitionParser.parse(row.definitionJson).definition();
            cache.put(key, def);
            return def;
        });
    }
}
