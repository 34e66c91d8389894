-- What the pages ask most: postmortems of one state, most recently changed first (my work);
-- those a person takes part in; who facilitated before (the rotation). Without these,
-- a state with no postmortem in it made each list read every row (35 ms for 10,000).
CREATE INDEX postmortems_by_status ON postmortems (status, updated_at DESC, id DESC);
CREATE INDEX postmortems_by_facilitator ON postmortems (facilitator_id);
CREATE INDEX postmortems_by_scribe ON postmortems (scribe_id);
CREATE INDEX postmortem_members_by_user ON postmortem_members (user_id);
CREATE INDEX postmortem_responders_by_user ON postmortem_responders (user_id);
