-- Comments on a postmortem, one of its sections or one of its timeline entries, open or
-- resolved. `anchor` is the key of the place (see src/comments.rs).
CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    postmortem_id INTEGER NOT NULL REFERENCES postmortems (id),
    author_id INTEGER NOT NULL REFERENCES users (id),
    anchor TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    resolved_at INTEGER,
    resolved_by INTEGER REFERENCES users (id)
);
CREATE INDEX comments_by_postmortem ON comments (postmortem_id, id);
