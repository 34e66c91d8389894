-- Comments on a postmortem, one of its sections or one of its timeline entries, open or
-- resolved. `anchor` is the key of the place (see src/comments.rs).
CREATE TABLE comments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    postmortem_id BIGINT NOT NULL REFERENCES postmortems (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    anchor TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_at BIGINT,
    resolved_by BIGINT REFERENCES users (id)
);
CREATE INDEX comments_by_postmortem ON comments (postmortem_id, id);
