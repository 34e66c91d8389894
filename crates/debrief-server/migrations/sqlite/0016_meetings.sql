-- A postmortem's review meeting: when, how long, its agenda (JSON: [{"title", "minutes"}]),
-- who is invited, and where it is in its life.
CREATE TABLE meetings (
    postmortem_id INTEGER PRIMARY KEY REFERENCES postmortems (id),
    starts_at INTEGER NOT NULL,
    minutes INTEGER NOT NULL,
    zone TEXT NOT NULL,
    agenda TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'scheduled' CHECK (state IN ('scheduled', 'running', 'ended')),
    started_at INTEGER,
    ended_at INTEGER,
    scheduled_by INTEGER NOT NULL REFERENCES users (id),
    scheduled_at INTEGER NOT NULL
);
CREATE TABLE meeting_participants (
    postmortem_id INTEGER NOT NULL REFERENCES meetings (postmortem_id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (postmortem_id, user_id)
);
-- Every change a meeting took, in order (`seq` from 1 per meeting): the room is these
-- replayed, so a late joiner or a reconnecting browser reads the changes after the last it
-- saw. `change` is the change as JSON, `prompts` the facilitator's redirects for a note
-- with blame in it (JSON array). An anonymous reflection keeps its author for permissions,
-- and no answer names them.
CREATE TABLE meeting_events (
    postmortem_id INTEGER NOT NULL REFERENCES meetings (postmortem_id),
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    author_id INTEGER NOT NULL REFERENCES users (id),
    anonymous INTEGER NOT NULL DEFAULT 0,
    change TEXT NOT NULL,
    prompts TEXT NOT NULL,
    PRIMARY KEY (postmortem_id, seq)
);

-- The postmortem's page shows its meeting: both move the store's generation (0015). The
-- changes of a running meeting do not: they reach the room live, and would otherwise empty
-- what every page keeps on every note.
CREATE TRIGGER meetings_insert_generation AFTER INSERT ON meetings
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER meetings_update_generation AFTER UPDATE ON meetings
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER meetings_delete_generation AFTER DELETE ON meetings
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER meeting_participants_insert_generation AFTER INSERT ON meeting_participants
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER meeting_participants_update_generation AFTER UPDATE ON meeting_participants
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER meeting_participants_delete_generation AFTER DELETE ON meeting_participants
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
