CREATE TABLE received_trigger (
    key          VARCHAR(410) PRIMARY KEY,
    workspace_id VARCHAR(200) NOT NULL,
    event_id     VARCHAR(200) NOT NULL,
    type         VARCHAR(100) NOT NULL,
    contact_id   VARCHAR(200) NOT NULL,
    received_at  TIMESTAMPTZ  NOT NULL,
    forwarded_at TIMESTAMPTZ
);
CREATE INDEX received_trigger_received ON received_trigger (received_at);
