-- How each person wants reminders and digests: by e-mail, by a Slack-compatible incoming
-- webhook of their own, or not at all.
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN slack_webhook TEXT;
ALTER TABLE users ADD COLUMN notify TEXT NOT NULL DEFAULT 'email'
    CHECK (notify IN ('email', 'slack', 'none'));

-- When a postmortem was first published: the digest lists what was published in its period.
ALTER TABLE postmortems ADD COLUMN published_at INTEGER;
UPDATE postmortems SET published_at = updated_at WHERE status IN ('published', 'closed');
