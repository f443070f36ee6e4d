-- The ledger over time: derived data, recomputed with the ledger. The clock
-- is the publication day of the documents and the day of the reviews, so a
-- rebuild gives the same history.

-- Every change of an incident, in history order. `day` is NULL for changes
-- brought by documents without a publication date.
CREATE TABLE ledger_changes (
    seq         INTEGER PRIMARY KEY NOT NULL,
    day         TEXT,
    incident_id TEXT NOT NULL,
    kind        TEXT NOT NULL,
    json        TEXT NOT NULL
);
CREATE INDEX ledger_changes_by_day ON ledger_changes (day, seq);
CREATE INDEX ledger_changes_by_incident ON ledger_changes (incident_id, seq);

-- Listing rows of incidents, each valid from `from_day` until the day before
-- `to_day` (open when NULL): the ledger of any day without resolving.
CREATE TABLE ledger_incident_versions (
    incident_id TEXT NOT NULL,
    from_day    TEXT NOT NULL,
    to_day      TEXT,
    json        TEXT NOT NULL,
    PRIMARY KEY (incident_id, from_day)
) WITHOUT ROWID;
CREATE INDEX ledger_incident_versions_by_from ON ledger_incident_versions (from_day);

-- Reconciliation rows, versioned the same way.
CREATE TABLE ledger_reconciliation_versions (
    document_id TEXT NOT NULL,
    total_index INTEGER NOT NULL,
    from_day    TEXT NOT NULL,
    to_day      TEXT,
    json        TEXT NOT NULL,
    PRIMARY KEY (document_id, total_index, from_day)
) WITHOUT ROWID;
CREATE INDEX ledger_reconciliation_versions_by_from ON ledger_reconciliation_versions (from_day);

-- Documents and reviews the ledger held at the end of each day.
CREATE TABLE ledger_days (
    day       TEXT PRIMARY KEY NOT NULL,
    documents INTEGER NOT NULL,
    reviews   INTEGER NOT NULL
) WITHOUT ROWID;
