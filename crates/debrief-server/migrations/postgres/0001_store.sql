-- Users, their API tokens, postmortems with every version, members of restricted
-- postmortems, and the audit log. Times are Unix seconds (UTC).

CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    function TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'contributor', 'admin')),
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE postmortems (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    restricted BIGINT NOT NULL, -- 0 or 1: one type that both databases read back alike
    markdown TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE postmortem_versions (
    postmortem_id BIGINT NOT NULL REFERENCES postmortems (id),
    version BIGINT NOT NULL,
    author_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    note TEXT NOT NULL,
    markdown TEXT NOT NULL,
    PRIMARY KEY (postmortem_id, version)
);

CREATE TABLE postmortem_members (
    postmortem_id BIGINT NOT NULL REFERENCES postmortems (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (postmortem_id, user_id)
);

CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id BIGINT REFERENCES users (id),
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
