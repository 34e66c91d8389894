-- The store's generation: a number that grows with every change to what the pages show
-- (postmortems and what hangs on them, people), in the same transaction as the change. A page
-- computed at one generation may be shown again for as long as the store is still at it, on
-- every instance. Triggers keep it, not the code that writes, so a change made by anything
-- (the server, the command line, an operator's SQL) moves it.
-- SQLite holds one writer at a time, so the generation moves in commit order.
CREATE TABLE store_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO store_generation (id, generation) VALUES (1, 0);

-- SQLite triggers are per row and per kind of change.
CREATE TRIGGER users_insert_generation AFTER INSERT ON users
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER users_update_generation AFTER UPDATE ON users
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER users_delete_generation AFTER DELETE ON users
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER postmortems_insert_generation AFTER INSERT ON postmortems
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER postmortems_update_generation AFTER UPDATE ON postmortems
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER postmortems_delete_generation AFTER DELETE ON postmortems
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER postmortem_members_insert_generation AFTER INSERT ON postmortem_members
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER postmortem_members_update_generation AFTER UPDATE ON postmortem_members
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER postmortem_members_delete_generation AFTER DELETE ON postmortem_members
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER postmortem_responders_insert_generation AFTER INSERT ON postmortem_responders
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER postmortem_responders_update_generation AFTER UPDATE ON postmortem_responders
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER postmortem_responders_delete_generation AFTER DELETE ON postmortem_responders
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER postmortem_labels_insert_generation AFTER INSERT ON postmortem_labels
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER postmortem_labels_update_generation AFTER UPDATE ON postmortem_labels
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER postmortem_labels_delete_generation AFTER DELETE ON postmortem_labels
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER contributions_insert_generation AFTER INSERT ON contributions
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER contributions_update_generation AFTER UPDATE ON contributions
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER contributions_delete_generation AFTER DELETE ON contributions
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER comments_insert_generation AFTER INSERT ON comments
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER comments_update_generation AFTER UPDATE ON comments
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER comments_delete_generation AFTER DELETE ON comments
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER action_items_insert_generation AFTER INSERT ON action_items
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER action_items_update_generation AFTER UPDATE ON action_items
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
CREATE TRIGGER action_items_delete_generation AFTER DELETE ON action_items
    BEGIN UPDATE store_generation SET generation = generation + 1; END;
