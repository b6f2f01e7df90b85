-- processed_command becomes a claim (issue 10, action-runtime's CommandPipeline on the delivery kit).
-- A command is claimed (row inserted, claimed_at) before it runs and its result recorded once it has one
-- (result_json, processed_at). A LocalAction's claim and result commit in one transaction; an OutsideAction's claim
-- commits first, its call runs outside any transaction, and its result is recorded in a second one. A row without a
-- result is a command in flight (its process renews claimed_at) or one a crash left: after the claim lease
-- (engageflow.actions.claim-lease, 60 s) another delivery claims it again.
-- Existing rows all have results; they get claimed_at = the migration's time (a constant default: no table rewrite).
ALTER TABLE processed_command
    ADD COLUMN claimed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    ALTER COLUMN result_json DROP NOT NULL,
    ALTER COLUMN processed_at DROP NOT NULL;
ALTER TABLE processed_command ALTER COLUMN claimed_at DROP DEFAULT;
