-- The delivery kit's outbox (service-common Outbox), for the platform events (issue 13: Loyalty.PointsAwarded, …): each
-- is written here in the transaction of the effect that caused it, published from memory after commit; a row still
-- here after the recovery age was left by a crash or an outage and is sent by the recovery.
CREATE TABLE outbox (
    id         BIGSERIAL PRIMARY KEY,
    topic      VARCHAR(200) NOT NULL,
    msg_key    VARCHAR(200),
    payload    TEXT         NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL
);
