package io.engageflow.runtime.messaging;

import io.engageflow.common.delivery.OutboundRecord;
import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ActionResult;
import io.engageflow.contracts.ErrorCodes;
import io.engageflow.contracts.Topics;
import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.runtime.actions.ActionOutcome;
import java.time.Instant;

/**
 * The answer to a command as it is recorded and published: the result, its JSON, and the outcome the handler
 * returned (bookkeeping sees what really happened, even when the result had to be replaced).
 */
record Answer(ActionCommand command, ActionOutcome outcome, ActionResult result, String json) {

    /**
     * The result of a command that ran. A result larger than the broker takes ({@code maxRecordBytes}, key and value
     * in UTF-8) could never be published; it is replaced by a Failure with PayloadTooLarge, recorded and published
     * so, rather than dropped.
     */
    static Answer of(ActionCommand command, ActionOutcome outcome, int maxRecordBytes) {
        ActionResult result = result(command, outcome);
        String json = JsonCodec.encode(result);
        int bytes = new OutboundRecord(Topics.ACTION_RESULTS, command.instanceId(), json).bytes();
        if (bytes > maxRecordBytes) {
            result = result(command, ActionOutcome.failure(ErrorCodes.PAYLOAD_TOO_LARGE, "the result of "
                    + command.action() + " is " + bytes + " bytes, more than the " + maxRecordBytes
                    + " a record may have; its outputs were dropped"));
            json = JsonCodec.encode(result);
        }
        return new Answer(command, outcome, result, json);
    }

    static ActionResult result(ActionCommand c, ActionOutcome o) {
        return new ActionResult(c.commandId(), c.instanceId(), c.stepId(), c.action(), o.path(), o.outputs(),
                o.error(), Instant.now());
    }

    String commandId() {
        return command.commandId();
    }

    OutboundRecord record() {
        return record(command, json);
    }

    /** A result record: on actions.results, keyed by the instance so one instance's results stay in order. */
    static OutboundRecord record(ActionCommand command, String resultJson) {
        return new OutboundRecord(Topics.ACTION_RESULTS, command.instanceId(), resultJson);
    }
}
