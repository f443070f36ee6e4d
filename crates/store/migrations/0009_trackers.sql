-- Other organisations' lists of strikes. A re-import of a name adds a new
-- version; earlier versions' rows are kept, the latest is the one compared.
CREATE TABLE trackers (
    name    TEXT NOT NULL,
    version INTEGER NOT NULL,
    file    TEXT NOT NULL,
    sha256  TEXT NOT NULL,
    PRIMARY KEY (name, version)
) WITHOUT ROWID;

CREATE TABLE tracker_rows (
    name    TEXT NOT NULL,
    version INTEGER NOT NULL,
    line    INTEGER NOT NULL,
    json    TEXT NOT NULL,
    PRIMARY KEY (name, version, line)
) WITHOUT ROWID;

-- Derived: the latest version of each tracker compared with the ledger,
-- rewritten with the ledger.
CREATE TABLE tracker_comparisons (
    name TEXT PRIMARY KEY NOT NULL,
    json TEXT NOT NULL
) WITHOUT ROWID;
