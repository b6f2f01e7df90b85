package io.engageflow.runtime.messaging;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ActionCatalog;
import io.engageflow.contracts.catalog.ActionSpec;
import io.engageflow.runtime.actions.ActionOutcome;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a command runs (CONTRACT.md, "Runs an admin can act on"): a command of a real run as always; a command of a
 * test run ({@code test: true}) either for real without lasting change, when its catalog entry is
 * {@link ActionSpec#readOnly() read-only} (a filter: its path and outputs as always), or not at all, answering
 * Success with {@code {"test": true, "wouldSend": <config as resolved>}}. The decision is the catalog's alone: a new
 * action needs no code here.
 */
enum TestMode {
    /** A command of a real run. */
    REAL,
    /** A test command of a read-only action: it runs, and whatever it (or a listener) wrote is rolled back. */
    RUN_ROLLED_BACK,
    /** A test command of an action with effects: not performed, it reports what it would have sent. */
    NOT_PERFORMED;

    static TestMode of(ActionCommand command) {
        if (!command.test()) {
            return REAL;
        }
        boolean readOnly = ActionCatalog.find(command.action()).map(ActionSpec::readOnly).orElse(false);
        return readOnly ? RUN_ROLLED_BACK : NOT_PERFORMED;
    }

    /** The answer of a test command not performed: what it would have sent, its config as the action would see it. */
    static ActionOutcome notPerformed(ActionCommand command) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("test", true);
        outputs.put("wouldSend", command.config());
        return ActionOutcome.success(outputs);
    }
}
