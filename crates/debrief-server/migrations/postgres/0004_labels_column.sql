-- Services and tags also kept on the row, as JSON, so a read or a list needs no second
-- query; postmortem_labels stays the index that filters use.
ALTER TABLE postmortems ADD COLUMN labels TEXT NOT NULL DEFAULT '{"services":[],"tags":[]}';
UPDATE postmortems SET labels = json_build_object(
    'services', COALESCE((SELECT json_agg(value ORDER BY value) FROM postmortem_labels l
                          WHERE l.postmortem_id = postmortems.id AND l.kind = 'service'), '[]'::json),
    'tags', COALESCE((SELECT json_agg(value ORDER BY value) FROM postmortem_labels l
                      WHERE l.postmortem_id = postmortems.id AND l.kind = 'tag'), '[]'::json)
)::text;
