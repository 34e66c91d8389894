-- Postmortem ids are chosen at random by the server (below 2^53). SQLite's INTEGER PRIMARY KEY
-- takes an id given to it as it is, so nothing changes here; this migration keeps the version
-- numbers of both databases alike (PostgreSQL drops its identity column at this version).
SELECT 1;
