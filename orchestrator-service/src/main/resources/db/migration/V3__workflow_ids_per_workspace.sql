-- A workflow id is unique within its workspace, not across workspaces.
ALTER TABLE workflow_version DROP CONSTRAINT workflow_version_workflow_id_fkey;
ALTER TABLE workflow ADD COLUMN key VARCHAR(310);
UPDATE workflow SET key = workspace_id || '/' || id;
ALTER TABLE workflow DROP CONSTRAINT workflow_pkey;
ALTER TABLE workflow ALTER COLUMN key SET NOT NULL;
ALTER TABLE workflow ADD PRIMARY KEY (key);

ALTER TABLE workflow_version ADD COLUMN workspace_id VARCHAR(200);
UPDATE workflow_version v SET workspace_id = w.workspace_id FROM workflow w WHERE w.id = v.workflow_id;
UPDATE workflow_version SET id = workspace_id || '/' || id;
ALTER TABLE workflow_version ALTER COLUMN workspace_id SET NOT NULL;
ALTER TABLE workflow_version ALTER COLUMN id TYPE VARCHAR(330);
ALTER TABLE workflow_version DROP CONSTRAINT workflow_version_workflow_id_version_key;
ALTER TABLE workflow_version ADD UNIQUE (workspace_id, workflow_id, version);

ALTER TABLE workflow_instance DROP CONSTRAINT workflow_instance_workflow_id_trigger_event_id_key;
ALTER TABLE workflow_instance ADD UNIQUE (workspace_id, workflow_id, trigger_event_id);
