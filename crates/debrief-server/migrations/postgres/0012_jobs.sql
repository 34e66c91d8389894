-- The durable job queue: work done outside a request (creating an issue in a tracker,
-- bringing its state back, sending a reminder), shared by every instance on one database.
-- A job is taken by one instance at a time under a lease; a job whose lease ran out (its
-- instance died) is taken again, so none is lost. `key` makes enqueuing idempotent: one job
-- per piece of work however often it is asked for.
CREATE TABLE jobs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL, -- JSON
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead')),
    attempts BIGINT NOT NULL,
    run_after BIGINT NOT NULL, -- not before this time (backoff, a tracker's rate limit)
    lease_until BIGINT, -- while running: taken again by anyone after this time
    leased_by TEXT, -- the instance holding the lease
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (state, run_after);
