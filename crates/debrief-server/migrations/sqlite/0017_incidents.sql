-- Incidents the alerting told of, by their key (Alertmanager's group and the PagerDuty
-- incident it opened share one), with the postmortem the latest of them opened. Deliveries
-- about one incident take turns on its row.
CREATE TABLE incidents (
    incident_key TEXT PRIMARY KEY,
    postmortem_id INTEGER REFERENCES postmortems (id),
    title TEXT NOT NULL,
    severity TEXT,
    services TEXT NOT NULL,
    first_at INTEGER NOT NULL
);

-- Timeline entries proposed from a record of the incident: an alert, a PagerDuty event, a
-- chat message. `scope` is what a source id is unique in (`incident:KEY` for the alerting's,
-- `postmortem:ID` for an import into one postmortem), so a second delivery adds nothing.
-- `held`: the incident has no postmortem yet; `proposed`: waiting for someone to accept or
-- drop it; `accepted`: in the document; `dropped`: left out.
CREATE TABLE timeline_proposals (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    incident_key TEXT REFERENCES incidents (incident_key),
    postmortem_id INTEGER REFERENCES postmortems (id),
    system TEXT NOT NULL,
    source_id TEXT NOT NULL,
    link TEXT,
    at INTEGER NOT NULL,
    text TEXT NOT NULL,
    milestone TEXT,
    state TEXT NOT NULL CHECK (state IN ('held', 'proposed', 'accepted', 'dropped')),
    proposed_at INTEGER NOT NULL,
    decided_by INTEGER REFERENCES users (id),
    decided_at INTEGER,
    UNIQUE (scope, system, source_id)
);
CREATE INDEX timeline_proposals_by_postmortem ON timeline_proposals (postmortem_id, at, id);
CREATE INDEX timeline_proposals_held ON timeline_proposals (incident_key, state);

-- A postmortem's page lists its proposals: they move the store's generation (0015).
CREATE TRIGGER timeline_proposals_insert_generation AFTER INSERT ON timeline_proposals
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER timeline_proposals_update_generation AFTER UPDATE ON timeline_proposals
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER timeline_proposals_delete_generation AFTER DELETE ON timeline_proposals
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
