-- Coupon offers and their coupons. A coupon without contact_id is an unissued code of the offer's pool.
CREATE TABLE coupon_offer (
    key          VARCHAR(410) PRIMARY KEY,            -- workspace/name
    workspace_id VARCHAR(200) NOT NULL,
    name         VARCHAR(200) NOT NULL,
    total_limit  INT,
    issued       INT          NOT NULL DEFAULT 0,
    valid_until  TIMESTAMPTZ,
    has_pool     BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ  NOT NULL
);

CREATE TABLE coupon (
    id           VARCHAR(64)  PRIMARY KEY,
    offer_key    VARCHAR(410) NOT NULL REFERENCES coupon_offer (key),
    workspace_id VARCHAR(200) NOT NULL,
    code         VARCHAR(200) NOT NULL,
    link         VARCHAR(500) NOT NULL,
    contact_id   VARCHAR(200),
    command_id   VARCHAR(200),
    issued_at    TIMESTAMPTZ,
    UNIQUE (offer_key, code)
);
CREATE INDEX coupon_by_contact ON coupon (workspace_id, contact_id);
CREATE INDEX coupon_pool ON coupon (offer_key, id) WHERE contact_id IS NULL;

-- Everything else a contact holds: points, tier, achievements, competition entries, wallet cards, scores.
CREATE TABLE reward_profile (
    key               VARCHAR(410) PRIMARY KEY,       -- workspace/contactId
    workspace_id      VARCHAR(200) NOT NULL,
    contact_id        VARCHAR(200) NOT NULL,
    points            BIGINT       NOT NULL DEFAULT 0 CHECK (points >= 0),
    tier              VARCHAR(100),
    achievements_json TEXT         NOT NULL DEFAULT '[]',
    entries_json      TEXT         NOT NULL DEFAULT '{}',
    cards_json        TEXT         NOT NULL DEFAULT '[]',
    scores_json       TEXT         NOT NULL DEFAULT '[]',
    updated_at        TIMESTAMPTZ  NOT NULL
);

-- Tags on competition entries.
CREATE TABLE entry_tags (
    key          VARCHAR(410) PRIMARY KEY,            -- workspace/entryId
    workspace_id VARCHAR(200) NOT NULL,
    entry_id     VARCHAR(200) NOT NULL,
    tags_json    TEXT         NOT NULL DEFAULT '[]',
    updated_at   TIMESTAMPTZ  NOT NULL
);
