-- The delivery kit (issue 10): a new trigger's row and its forward to workflow.triggers are written in one
-- transaction (the forward as an outbox row), so a row now means "forwarded, or in the outbox until the broker
-- acknowledges it". The old flow (record, send, mark forwarded_at) left rows without forwarded_at when the broker did
-- not acknowledge: their record was not acknowledged either (Kafka redelivers it) or the caller got a 5xx (and
-- retries), so they are removed and the repeat forwards them.
DELETE FROM received_trigger WHERE forwarded_at IS NULL;
ALTER TABLE received_trigger DROP COLUMN forwarded_at;

-- (workspace, eventId) itself is the de-duplication key: the joined text key made workspace "a/b" with event "c"
-- the same trigger as workspace "a" with event "b/c".
ALTER TABLE received_trigger DROP CONSTRAINT received_trigger_pkey;
ALTER TABLE received_trigger DROP COLUMN key;
ALTER TABLE received_trigger ADD PRIMARY KEY (workspace_id, event_id);

-- The delivery kit's outbox (service-common Outbox): the recovery log of records published from memory after commit.
CREATE TABLE outbox (
    id         BIGSERIAL PRIMARY KEY,
    topic      VARCHAR(200) NOT NULL,
    msg_key    VARCHAR(200),
    payload    TEXT         NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL
);
