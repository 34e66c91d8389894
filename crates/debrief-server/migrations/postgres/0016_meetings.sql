-- A postmortem's review meeting: when, how long, its agenda (JSON: [{"title", "minutes"}]),
-- who is invited, and where it is in its life.
CREATE TABLE meetings (
    postmortem_id BIGINT PRIMARY KEY REFERENCES postmortems (id),
    starts_at BIGINT NOT NULL,
    minutes BIGINT NOT NULL,
    zone TEXT NOT NULL,
    agenda TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'scheduled' CHECK (state IN ('scheduled', 'running', 'ended')),
    started_at BIGINT,
    ended_at BIGINT,
    scheduled_by BIGINT NOT NULL REFERENCES users (id),
    scheduled_at BIGINT NOT NULL
);
CREATE TABLE meeting_participants (
    postmortem_id BIGINT NOT NULL REFERENCES meetings (postmortem_id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (postmortem_id, user_id)
);
-- Every change a meeting took, in order (`seq` from 1 per meeting): the room is these
-- replayed, so a late joiner or a reconnecting browser reads the changes after the last it
-- saw. `change` is the change as JSON, `prompts` the facilitator's redirects for a note
-- with blame in it (JSON array). An anonymous reflection keeps its author for permissions,
-- and no answer names them.
CREATE TABLE meeting_events (
    postmortem_id BIGINT NOT NULL REFERENCES meetings (postmortem_id),
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    author_id BIGINT NOT NULL REFERENCES users (id),
    anonymous BIGINT NOT NULL DEFAULT 0,
    change TEXT NOT NULL,
    prompts TEXT NOT NULL,
    PRIMARY KEY (postmortem_id, seq)
);

-- The postmortem's page shows its meeting: both move the store's generation (0015). The
-- changes of a running meeting do not: they reach the room live, and would otherwise empty
-- what every page keeps on every note.
CREATE CONSTRAINT TRIGGER meetings_generation AFTER INSERT OR UPDATE OR DELETE ON meetings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_store_generation();
CREATE CONSTRAINT TRIGGER meeting_participants_generation
    AFTER INSERT OR UPDATE OR DELETE ON meeting_participants
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_store_generation();
