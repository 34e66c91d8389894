-- The store's generation: a number that grows with every change to what the pages show
-- (postmortems and what hangs on them, people), in the same transaction as the change. A page
-- computed at one generation may be shown again for as long as the store is still at it, on
-- every instance. Triggers keep it, not the code that writes, so a change made by anything
-- (the server, the command line, an operator's SQL) moves it.
-- The row is locked from the bump to the commit, so the generation moves in commit order.
CREATE TABLE store_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO store_generation (id, generation) VALUES (1, 0);

-- The bump is deferred to the commit: a transaction holds the generation's row only while it
-- commits, not while it works, so writers of different postmortems do not wait on each
-- other, and no lock is ever taken after it (no deadlock with a postmortem's row lock).
CREATE FUNCTION bump_store_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE store_generation SET generation = generation + 1;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER users_generation AFTER INSERT OR UPDATE OR DELETE ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_store_generation();
CREATE CONSTRAINT TRIGGER postmortems_generation AFTER INSERT OR UPDATE OR DELETE ON postmortems
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_store_generation();
CREATE CONSTRAINT TRIGGER postmortem_members_generation AFTER INSERT OR UPDATE OR DELETE ON postmortem_members
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_store_generation();
CREATE CONSTRAINT TRIGGER postmortem_responders_generation AFTER INSERT OR UPDATE OR DELETE ON postmortem_responders
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_store_generation();
CREATE CONSTRAINT TRIGGER postmortem_labels_generation AFTER INSERT OR UPDATE OR DELETE ON postmortem_labels
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_store_generation();
CREATE CONSTRAINT TRIGGER contributions_generation AFTER INSERT OR UPDATE OR DELETE ON contributions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_store_generation();
CREATE CONSTRAINT TRIGGER comments_generation AFTER INSERT OR UPDATE OR DELETE ON comments
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_store_generation();
CREATE CONSTRAINT TRIGGER action_items_generation AFTER INSERT OR UPDATE OR DELETE ON action_items
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_store_generation();
