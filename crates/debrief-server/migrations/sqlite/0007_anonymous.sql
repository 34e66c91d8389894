-- A contribution may be anonymous: shown with its function only, never its author.
ALTER TABLE contributions ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
