-- Statements and claims are listed (and exported in chunks) in the order
-- the site shows them: by day, undated first, then document, then place in
-- the document, ties in ledger order. These indexes give that order without
-- sorting the table, so a chunk after a cursor reads only its own rows.
CREATE INDEX ledger_statements_listed
    ON ledger_statements (ifnull(day, ''), document_id, statement_index, position);

-- Where a claim starts in its document: the last key of the claims order.
ALTER TABLE ledger_claims ADD COLUMN span_start INTEGER NOT NULL DEFAULT 0;
UPDATE ledger_claims SET span_start = ifnull(json_extract(json, '$.claim.span.start'), 0);
CREATE INDEX ledger_claims_listed
    ON ledger_claims (ifnull(day, ''), document_id, span_start, position);
