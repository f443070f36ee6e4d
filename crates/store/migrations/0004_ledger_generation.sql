-- A counter bumped by every ledger write, so a process can tell whether
-- what it holds in memory is still the stored ledger.
CREATE TABLE ledger_generation (
    id         INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO ledger_generation (id, generation) VALUES (1, 0);
