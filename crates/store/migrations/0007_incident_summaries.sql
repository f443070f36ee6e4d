-- One listing row per incident, written with the incident: listings, facets,
-- charts and the map read these few hundred bytes instead of parsing the
-- incident's full JSON with every report. A table apart (not a column of
-- ledger_incidents) so reading a summary never walks the overflow pages of
-- the incident's JSON. Existing ledgers are filled in when the store opens.
CREATE TABLE ledger_incident_summaries (
    id           TEXT PRIMARY KEY NOT NULL,
    report_count INTEGER NOT NULL,
    json         TEXT NOT NULL
) WITHOUT ROWID;
