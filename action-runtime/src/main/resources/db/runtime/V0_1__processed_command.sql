-- action-runtime: one row per command run; command_id is the idempotency key of every action effect.
CREATE TABLE processed_command (
    command_id   VARCHAR(200) PRIMARY KEY,
    instance_id  VARCHAR(100) NOT NULL,
    action       VARCHAR(100) NOT NULL,
    result_json  TEXT         NOT NULL,
    processed_at TIMESTAMPTZ  NOT NULL
);
CREATE INDEX processed_command_instance ON processed_command (instance_id);
