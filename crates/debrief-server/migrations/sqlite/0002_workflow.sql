-- Sessions and login failures (kept in the database so that several instances share them),
-- the workflow (state, facilitator, scribe, responders, when the incident was resolved),
-- the facts list filters need, contributions by role with their evidence, and search.

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE login_failures (
    subject TEXT NOT NULL, -- "user:NAME" or "ip:ADDRESS"
    at INTEGER NOT NULL
);
CREATE INDEX login_failures_by_subject ON login_failures (subject, at);

ALTER TABLE postmortems ADD COLUMN severity TEXT;
ALTER TABLE postmortems ADD COLUMN incident_date TEXT; -- YYYY-MM-DD: sorts as it reads
ALTER TABLE postmortems ADD COLUMN resolved_at INTEGER;
ALTER TABLE postmortems ADD COLUMN facilitator_id INTEGER REFERENCES users (id);
ALTER TABLE postmortems ADD COLUMN facilitator_assigned_at INTEGER;
ALTER TABLE postmortems ADD COLUMN scribe_id INTEGER REFERENCES users (id);
ALTER TABLE postmortems ADD COLUMN scribe_assigned_at INTEGER;

-- 1 when a version changed the text (a contribution), 0 for a workflow step.
ALTER TABLE postmortem_versions ADD COLUMN changes_text INTEGER NOT NULL DEFAULT 1;

CREATE TABLE postmortem_labels (
    postmortem_id INTEGER NOT NULL REFERENCES postmortems (id),
    kind TEXT NOT NULL CHECK (kind IN ('service', 'tag')),
    value TEXT NOT NULL,
    PRIMARY KEY (postmortem_id, kind, value)
);
CREATE INDEX postmortem_labels_by_value ON postmortem_labels (kind, value);

CREATE TABLE postmortem_responders (
    postmortem_id INTEGER NOT NULL REFERENCES postmortems (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (postmortem_id, user_id)
);

CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    content BLOB NOT NULL,
    size INTEGER NOT NULL
);

CREATE TABLE contributions (
    id INTEGER PRIMARY KEY,
    postmortem_id INTEGER NOT NULL REFERENCES postmortems (id),
    author_id INTEGER NOT NULL REFERENCES users (id),
    function TEXT NOT NULL, -- the author's function when they wrote it
    kind TEXT NOT NULL CHECK (kind IN ('timeline', 'observation', 'impact', 'evidence')),
    body TEXT NOT NULL,
    happened_at INTEGER, -- timeline entries: when it happened
    url TEXT, -- evidence: a link
    blob_sha256 TEXT REFERENCES blobs (sha256), -- evidence: an uploaded file
    file_name TEXT,
    media_type TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX contributions_by_postmortem ON contributions (postmortem_id, id);

-- Full text over the title and the Markdown; the store keeps it in step with every write.
CREATE VIRTUAL TABLE postmortem_search USING fts5 (title, body, tokenize = 'porter unicode61');
