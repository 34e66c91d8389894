-- Lists are ordered by the last change: with this index a page reads only its own rows
-- instead of sorting the whole table.
CREATE INDEX postmortems_by_update ON postmortems (updated_at DESC, id DESC);
