-- A page of statements or claims filtered by speaker (or claims by kind) is
-- read in its listed order from these indexes: the filter's rows in that
-- order, without sorting every row the filter matches. The listing's order
-- after the equal key is the one migration 0017 indexes.
CREATE INDEX ledger_statements_listed_by_speaker
    ON ledger_statements (speaker, ifnull(day, ''), document_id, statement_index, position);
CREATE INDEX ledger_claims_listed_by_speaker
    ON ledger_claims (speaker, ifnull(day, ''), document_id, span_start, position);
CREATE INDEX ledger_claims_listed_by_kind
    ON ledger_claims (kind, ifnull(day, ''), document_id, span_start, position);
