-- Postmortem ids are chosen at random by the server (below 2^53, so that JavaScript reads
-- them exactly): sequential ids told anyone who could see two postmortems how many others,
-- restricted ones among them, were created in between. Existing ids stay as they are.
ALTER TABLE postmortems ALTER COLUMN id DROP IDENTITY;
