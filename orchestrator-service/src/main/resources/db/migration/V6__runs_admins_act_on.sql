-- Runs an admin can act on (issue 14): a replay links to the run it repeats; a test run is kept apart from real runs
-- (listing, statistics, reentry). A replay's or a test run's trigger_event_id is its own key ("replay:<id>",
-- "test:<id>"), so the one-instance-per-trigger key never refuses it; the trigger itself stays in state_json.
ALTER TABLE workflow_instance ADD COLUMN replay_of VARCHAR(64);
ALTER TABLE workflow_instance ADD COLUMN test BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX workflow_instance_replays ON workflow_instance (replay_of) WHERE replay_of IS NOT NULL;
CREATE INDEX workflow_instance_failed ON workflow_instance (workspace_id, workflow_id, started_at) WHERE status = 'failed';
