-- The W3C trace context (traceparent/tracestate) of an instance's last decision: what the clock firing a Delay or a
-- deadline, or an admin's cancel, continues the instance's trace from, in whichever replica and after any restart.
-- Null while tracing is off.
ALTER TABLE workflow_instance ADD COLUMN trace_parent VARCHAR(100), ADD COLUMN trace_state TEXT;
