-- Users, their API tokens, postmortems with every version, members of restricted
-- postmortems, and the audit log. Times are Unix seconds (UTC).

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    function TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'contributor', 'admin')),
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE postmortems (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    restricted INTEGER NOT NULL, -- 0 or 1: one type that both databases read back alike
    markdown TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE postmortem_versions (
    postmortem_id INTEGER NOT NULL REFERENCES postmortems (id),
    version INTEGER NOT NULL,
    author_id INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    note TEXT NOT NULL,
    markdown TEXT NOT NULL,
    PRIMARY KEY (postmortem_id, version)
);

CREATE TABLE postmortem_members (
    postmortem_id INTEGER NOT NULL REFERENCES postmortems (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (postmortem_id, user_id)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
