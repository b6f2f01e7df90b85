-- Run statistics of workflows (GET …/workflows/{id}/stats): counters the engine updates in the same transaction as
-- the instances they count, one statement per batch, so that a request reads a few rows per step instead of
-- scanning instances.
--   kind 'status':   instances of the version by status (step_id '', name = the status)
--   kind 'path':     a step's finishes by output path (name = the path)
--   kind 'ms':       a step's durations, a histogram of fixed buckets (name = the bucket number; see DurationBuckets)
--   kind 'failures': failures of the version so far (step_id '', name ''), which also numbers them in the ring below
-- A counter is kept in up to 8 shards that a read adds up: each batch writes its counters to one shard picked at
-- random, so that concurrent batches rarely wait for each other on the same hot counter (the failures count, which
-- numbers the ring, is always shard 0).
CREATE TABLE workflow_stat (
    workspace_id VARCHAR(200) NOT NULL,
    workflow_id  VARCHAR(100) NOT NULL,
    version      INT          NOT NULL,
    step_id      VARCHAR(200) NOT NULL,
    kind         VARCHAR(10)  NOT NULL,
    name         VARCHAR(200) NOT NULL,
    shard        SMALLINT     NOT NULL,
    n            BIGINT       NOT NULL,
    PRIMARY KEY (workspace_id, workflow_id, version, step_id, kind, name, shard)
);

-- The last failures of each version, a ring of 20 slots (slot = seq % 20, seq = the failure's number): bounded, and
-- the last 20 of all versions together are among the last 20 of each.
CREATE TABLE workflow_failure (
    workspace_id VARCHAR(200)  NOT NULL,
    workflow_id  VARCHAR(100)  NOT NULL,
    version      INT           NOT NULL,
    slot         INT           NOT NULL,
    seq          BIGINT        NOT NULL,
    instance_id  VARCHAR(64)   NOT NULL,
    step_id      VARCHAR(200),
    code         VARCHAR(100),
    message      VARCHAR(1000),
    at           TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (workspace_id, workflow_id, version, slot)
);

-- Instances that exist already are counted by status once, here; step paths, durations and failures count from now on.
INSERT INTO workflow_stat (workspace_id, workflow_id, version, step_id, kind, name, shard, n)
SELECT workspace_id, workflow_id, version, '', 'status', status, 0, count(*)
FROM workflow_instance GROUP BY workspace_id, workflow_id, version, status;
