-- Sessions and login failures (kept in the database so that several instances share them),
-- the workflow (state, facilitator, scribe, responders, when the incident was resolved),
-- the facts list filters need, contributions by role with their evidence, and search.

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE login_failures (
    subject TEXT NOT NULL, -- "user:NAME" or "ip:ADDRESS"
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_by_subject ON login_failures (subject, at);

ALTER TABLE postmortems ADD COLUMN severity TEXT;
ALTER TABLE postmortems ADD COLUMN incident_date TEXT; -- YYYY-MM-DD: sorts as it reads
ALTER TABLE postmortems ADD COLUMN resolved_at BIGINT;
ALTER TABLE postmortems ADD COLUMN facilitator_id BIGINT REFERENCES users (id);
ALTER TABLE postmortems ADD COLUMN facilitator_assigned_at BIGINT;
ALTER TABLE postmortems ADD COLUMN scribe_id BIGINT REFERENCES users (id);
ALTER TABLE postmortems ADD COLUMN scribe_assigned_at BIGINT;

-- 1 when a version changed the text (a contribution), 0 for a workflow step.
ALTER TABLE postmortem_versions ADD COLUMN changes_text BIGINT NOT NULL DEFAULT 1;

CREATE TABLE postmortem_labels (
    postmortem_id BIGINT NOT NULL REFERENCES postmortems (id),
    kind TEXT NOT NULL CHECK (kind IN ('service', 'tag')),
    value TEXT NOT NULL,
    PRIMARY KEY (postmortem_id, kind, value)
);
CREATE INDEX postmortem_labels_by_value ON postmortem_labels (kind, value);

CREATE TABLE postmortem_responders (
    postmortem_id BIGINT NOT NULL REFERENCES postmortems (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (postmortem_id, user_id)
);

CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    content BYTEA NOT NULL,
    size BIGINT NOT NULL
);

CREATE TABLE contributions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    postmortem_id BIGINT NOT NULL REFERENCES postmortems (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    function TEXT NOT NULL, -- the author's function when they wrote it
    kind TEXT NOT NULL CHECK (kind IN ('timeline', 'observation', 'impact', 'evidence')),
    body TEXT NOT NULL,
    happened_at BIGINT, -- timeline entries: when it happened
    url TEXT, -- evidence: a link
    blob_sha256 TEXT REFERENCES blobs (sha256), -- evidence: an uploaded file
    file_name TEXT,
    media_type TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX contributions_by_postmortem ON contributions (postmortem_id, id);

-- Full text over the title and the Markdown, weighted to the title.
ALTER TABLE postmortems ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || to_tsvector('english', markdown)
) STORED;
CREATE INDEX postmortems_search ON postmortems USING GIN (search);
