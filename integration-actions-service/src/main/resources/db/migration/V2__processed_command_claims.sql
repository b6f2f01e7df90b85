-- processed_command (action-runtime) becomes a claim: a command is claimed (claimed_at) before it runs and its
-- result recorded once it has one (result_json, processed_at). An outside call runs between the two, outside any
-- transaction; a row without a result is a command in flight (its process renews claimed_at) or one a crash left,
-- claimed again by its next delivery once older than engageflow.actions.claim-lease (60 s).
-- Existing rows all have results; they get claimed_at = the migration's time (a constant default: no table rewrite).
ALTER TABLE processed_command
    ADD COLUMN claimed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    ALTER COLUMN result_json DROP NOT NULL,
    ALTER COLUMN processed_at DROP NOT NULL;
ALTER TABLE processed_command ALTER COLUMN claimed_at DROP DEFAULT;
