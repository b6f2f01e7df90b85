package io.engageflow.orchestrator.persistence;

import io.engageflow.contracts.ActionResult;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import java.time.Instant;

/** A result that was recorded but not applied (late, duplicate or stale), and why. */
@Entity
public class IgnoredResult extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String instanceId;
    public String stepId;
    public String commandId;
    public String path;
    public String reason;
    public Instant receivedAt;

    public static IgnoredResult of(ActionResult r, String reason) {
        IgnoredResult i = new IgnoredResult();
        i.instanceId = r.instanceId();
        i.stepId = r.stepId();
        i.commandId = r.commandId();
        i.path = r.path();
        i.reason = reason.length() > 500 ? reason.substring(0, 500) : reason;
        i.receivedAt = Instant.now();
        return i;
    }
}
