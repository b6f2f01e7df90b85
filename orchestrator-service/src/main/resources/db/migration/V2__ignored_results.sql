-- Results that arrived late (after a timeout or cancel), twice, or for a superseded command: kept for the record,
-- never applied.
CREATE TABLE ignored_result (
    id          BIGSERIAL PRIMARY KEY,
    instance_id VARCHAR(64)  NOT NULL,
    step_id     VARCHAR(200),
    command_id  VARCHAR(200),
    path        VARCHAR(100),
    reason      VARCHAR(500) NOT NULL,
    received_at TIMESTAMPTZ  NOT NULL
);
CREATE INDEX ignored_result_by_instance ON ignored_result (instance_id);
