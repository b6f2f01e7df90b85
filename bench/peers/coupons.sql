-- The coupon tables both peers (bench/peer-restate, bench/peer-dbos) write to, each in its own database. Like
-- reward-actions-service: an offer row with a running count, locked FOR UPDATE while a coupon is taken; a coupon
-- keyed by the command that took it, so a retried step answers with the coupon it already issued.
CREATE TABLE IF NOT EXISTS coupon_offer (
    id          TEXT PRIMARY KEY,
    total_limit INT  NOT NULL,
    issued      INT  NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS coupon (
    command_id TEXT PRIMARY KEY,
    offer_id   TEXT        NOT NULL REFERENCES coupon_offer (id),
    contact_id TEXT        NOT NULL,
    code       TEXT        NOT NULL UNIQUE,
    issued_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO coupon_offer (id, total_limit) VALUES ('bench', 100000000) ON CONFLICT (id) DO NOTHING;
