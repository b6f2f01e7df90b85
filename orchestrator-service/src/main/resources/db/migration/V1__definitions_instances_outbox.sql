-- Workflow definitions: one row per workflow, one per immutable version.
CREATE TABLE workflow (
    id             VARCHAR(100) PRIMARY KEY,
    workspace_id   VARCHAR(200) NOT NULL,
    name           VARCHAR(300) NOT NULL,
    status         VARCHAR(20)  NOT NULL,
    latest_version INT          NOT NULL,
    trigger_type   VARCHAR(100) NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL,
    updated_at     TIMESTAMPTZ  NOT NULL
);
CREATE INDEX workflow_by_trigger ON workflow (workspace_id, trigger_type, status);

CREATE TABLE workflow_version (
    id              VARCHAR(120) PRIMARY KEY,
    workflow_id     VARCHAR(100) NOT NULL REFERENCES workflow (id),
    version         INT          NOT NULL,
    definition_json TEXT         NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    UNIQUE (workflow_id, version)
);

-- Workflow instances: the state machine's state (trigger and steps) as JSON, queryable columns beside it.
CREATE TABLE workflow_instance (
    id               VARCHAR(64)  PRIMARY KEY,
    workspace_id     VARCHAR(200) NOT NULL,
    workflow_id      VARCHAR(100) NOT NULL,
    version          INT          NOT NULL,
    contact_id       VARCHAR(200) NOT NULL,
    trigger_event_id VARCHAR(200) NOT NULL,
    status           VARCHAR(20)  NOT NULL,
    started_at       TIMESTAMPTZ  NOT NULL,
    ended_at         TIMESTAMPTZ,
    next_due_at      TIMESTAMPTZ,
    state_json       TEXT         NOT NULL,
    -- one instance per workflow and trigger: a trigger delivered twice starts nothing new
    UNIQUE (workflow_id, trigger_event_id)
);
CREATE INDEX workflow_instance_query ON workflow_instance (workspace_id, workflow_id, contact_id, status);
CREATE INDEX workflow_instance_due ON workflow_instance (next_due_at) WHERE status = 'running';

-- Transactional outbox: messages written with the state change that causes them, published after commit.
CREATE TABLE outbox (
    id         BIGSERIAL PRIMARY KEY,
    topic      VARCHAR(200) NOT NULL,
    msg_key    VARCHAR(200),
    payload    TEXT         NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL
);
