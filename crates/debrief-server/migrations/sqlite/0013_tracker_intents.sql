-- Issues debrief set out to create in a tracker, recorded before the request is sent: a
-- retry that finds its intent without an issue (the answer was lost, the instance was
-- killed) looks for the issue by its marker before creating one, so that no action item
-- gets two. `issue_url` is filled as soon as the tracker answers.
CREATE TABLE tracker_intents (
    marker TEXT PRIMARY KEY, -- the item's marker, written into the issue
    tracker TEXT NOT NULL, -- the tracker's name in debrief.toml
    postmortem_id INTEGER NOT NULL REFERENCES postmortems (id),
    recorded_at INTEGER NOT NULL,
    issue_key TEXT, -- "#12", "OPS-42", once created or found
    issue_url TEXT
);

-- A tracker's webhook names an issue; its items are found by their reference.
CREATE INDEX action_items_by_tracker ON action_items (tracker);
