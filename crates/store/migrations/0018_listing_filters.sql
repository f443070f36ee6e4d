-- A page of statements or claims is read in its listed order from an index
-- whatever it is filtered by, without sorting every row the filter matches
-- (the listing's order is the one migration 0017 indexes):
--
-- - by speaker (statements, claims) or kind (claims): an index led by the
--   filtered column, then the listing's order;
-- - by a statement's kinds (`instr(kinds, …)`, which no index can seek):
--   the listing index also holds `kinds`, so the rows a page skips over
--   and the rows it counts are read from the index alone, not the table.
DROP INDEX ledger_statements_listed;
CREATE INDEX ledger_statements_listed
    ON ledger_statements (ifnull(day, ''), document_id, statement_index, position, kinds);
CREATE INDEX ledger_statements_listed_by_speaker
    ON ledger_statements (speaker, ifnull(day, ''), document_id, statement_index, position);
CREATE INDEX ledger_claims_listed_by_speaker
    ON ledger_claims (speaker, ifnull(day, ''), document_id, span_start, position);
CREATE INDEX ledger_claims_listed_by_kind
    ON ledger_claims (kind, ifnull(day, ''), document_id, span_start, position);
