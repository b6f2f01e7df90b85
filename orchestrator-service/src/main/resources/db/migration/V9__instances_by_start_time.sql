-- The instance list and the console's counts filter a workspace's runs by start time and test flag
-- (GET .../instances?from=&to=, newest first, and .../instances/counts?from=&to=): both read this index in order.
-- IF NOT EXISTS: on a large table an operator may build it beforehand without blocking writes
-- (CREATE INDEX CONCURRENTLY workflow_instance_started ON ...), and this migration then does nothing.
CREATE INDEX IF NOT EXISTS workflow_instance_started ON workflow_instance (workspace_id, test, started_at);
