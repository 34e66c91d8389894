-- The action items of each postmortem's current version, rewritten with every version, so
-- that "my action items" and the trackers read them without reading every document.
CREATE TABLE action_items (
    postmortem_id BIGINT NOT NULL REFERENCES postmortems (id),
    position BIGINT NOT NULL, -- 0, 1, ... in document order
    text TEXT NOT NULL,
    owner TEXT, -- as written: "@alice", "Alice Smith", "payments team"
    owner_key TEXT, -- the owner in lower case without a leading @, to match a user by
    due TEXT, -- the day it is due, YYYY-MM-DD, when the written due date names one
    due_written TEXT, -- as written: "2026-06-28", "2 weeks", "Q3"
    state TEXT NOT NULL CHECK (state IN ('open', 'done', 'declined')),
    declined TEXT, -- why it will not be done, when declined
    priority TEXT, -- as written: "P1", "high"
    tracker TEXT, -- an issue URL or key
    PRIMARY KEY (postmortem_id, position)
);
CREATE INDEX action_items_by_owner ON action_items (owner_key, state, due);

-- Which edition of the derived tables (labels, search, action items) a row was indexed by;
-- the store re-indexes older rows when it opens, so that a new derived fact reaches
-- postmortems written before it existed.
ALTER TABLE postmortems ADD COLUMN indexed_edition BIGINT NOT NULL DEFAULT 0;

-- Labels take teams too.
ALTER TABLE postmortem_labels DROP CONSTRAINT postmortem_labels_kind_check,
    ADD CONSTRAINT postmortem_labels_kind_check CHECK (kind IN ('service', 'tag', 'team'));
