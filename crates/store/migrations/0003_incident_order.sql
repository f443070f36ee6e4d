-- Incidents are listed in the ledger's own order (first day, then id), so
-- one incident can be inserted or updated without renumbering the rest.
ALTER TABLE ledger_incidents ADD COLUMN sort_day TEXT;
UPDATE ledger_incidents SET sort_day = json_extract(json, '$.date');
UPDATE ledger_incidents SET sort_day = json_extract(json, '$.date_from') WHERE sort_day IS NULL;
CREATE INDEX ledger_incidents_in_order ON ledger_incidents (sort_day, id);
CREATE INDEX ledger_incident_documents_by_incident ON ledger_incident_documents (incident_id);
