-- The team a user belongs to ("payments", "platform"): teams own action items and services,
-- and the quarterly review counts by team.
ALTER TABLE users ADD COLUMN team TEXT;
