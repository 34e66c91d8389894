-- A person who left, or whose account must stop working, is deactivated rather than deleted:
-- their name stays on what they wrote; they can no longer sign in, and their sessions and
-- API tokens are refused.
ALTER TABLE users ADD COLUMN deactivated_at BIGINT;
