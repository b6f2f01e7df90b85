-- The W3C trace context of an outbox record (its traceparent/tracestate headers), so a record the recovery sends
-- after a crash stays in its trace; null when tracing is off.
ALTER TABLE outbox ADD COLUMN trace_parent VARCHAR(100), ADD COLUMN trace_state TEXT;

