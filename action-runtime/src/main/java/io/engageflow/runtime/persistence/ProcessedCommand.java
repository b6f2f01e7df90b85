package io.engageflow.runtime.persistence;

import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.json.JsonCodec;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A command this service has run, with the result it answered: the commandId de-duplication record. */
@Entity
@Table(name = "processed_command")
public class ProcessedCommand extends PanacheEntityBase {
    @Id
    @Column(name = "command_id")
    public String commandId;

    @Column(name = "instance_id")
    public String instanceId;

    public String action;

    @Column(name = "result_json")
    public String resultJson;

    @Column(name = "processed_at")
    public Instant processedAt;

    public static ProcessedCommand of(ActionResult result) {
        ProcessedCommand p = new ProcessedCommand();
        p.commandId = result.commandId();
        p.instanceId = result.instanceId();
        p.action = result.action();
        p.resultJson = JsonCodec.encode(result);
        p.processedAt = result.completedAt();
        return p;
    }

    public ActionResult result() {
        return JsonCodec.read(resultJson, ActionResult.class);
    }
}
