-- Per-workspace credentials of outside providers. The API key is stored encrypted (AES-GCM) and never returned.
CREATE TABLE connected_app (
    key               VARCHAR(300) PRIMARY KEY,       -- workspace/provider
    workspace_id      VARCHAR(200) NOT NULL,
    provider          VARCHAR(50)  NOT NULL,
    api_key_encrypted TEXT         NOT NULL,
    base_url          VARCHAR(500),
    settings_json     TEXT         NOT NULL DEFAULT '{}',
    updated_at        TIMESTAMPTZ  NOT NULL
);
