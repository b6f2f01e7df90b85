-- API keys of workspaces: only the SHA-256 of a key is kept; a revoked key keeps its row (revoked_at) for the record.
CREATE TABLE api_key (
    id           VARCHAR(40)  PRIMARY KEY,
    workspace_id VARCHAR(200) NOT NULL,
    name         VARCHAR(100) NOT NULL,
    role         VARCHAR(20)  NOT NULL,
    key_hash     CHAR(64)     NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ  NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_key_workspace ON api_key (workspace_id) WHERE revoked_at IS NULL;
