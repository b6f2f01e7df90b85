-- Contacts of a workspace as this service knows them: merged from trigger snapshots and ContactUpdate.
CREATE TABLE contact (
    key             VARCHAR(410) PRIMARY KEY,         -- workspace/contactId
    workspace_id    VARCHAR(200) NOT NULL,
    contact_id      VARCHAR(200) NOT NULL,
    email           VARCHAR(320),
    phone           VARCHAR(40),
    first_name      VARCHAR(200),
    last_name       VARCHAR(200),
    properties_json TEXT         NOT NULL DEFAULT '{}',
    tags_json       TEXT         NOT NULL DEFAULT '[]',
    -- the time of the newest data merged in; an older snapshot never overwrites it
    data_as_of      TIMESTAMPTZ  NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL
);

CREATE TABLE list_member (
    key          VARCHAR(700) PRIMARY KEY,            -- workspace/list/contactId
    workspace_id VARCHAR(200) NOT NULL,
    list_name    VARCHAR(200) NOT NULL,
    contact_id   VARCHAR(200) NOT NULL,
    added_at     TIMESTAMPTZ  NOT NULL
);
CREATE INDEX list_member_by_list ON list_member (workspace_id, list_name, added_at);
CREATE INDEX list_member_by_contact ON list_member (workspace_id, contact_id);

-- Every email and SMS sent, one per command.
CREATE TABLE message (
    id                  VARCHAR(64)  PRIMARY KEY,
    workspace_id        VARCHAR(200) NOT NULL,
    contact_id          VARCHAR(200) NOT NULL,
    channel             VARCHAR(10)  NOT NULL,
    recipient           VARCHAR(320) NOT NULL,
    subject             TEXT,
    body                TEXT         NOT NULL,
    provider_message_id VARCHAR(200),
    command_id          VARCHAR(200) NOT NULL UNIQUE,
    sent_at             TIMESTAMPTZ  NOT NULL
);
CREATE INDEX message_by_contact ON message (workspace_id, contact_id, sent_at DESC);
