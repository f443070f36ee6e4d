-- Claim groups are found by kind and key, so one group can be rewritten
-- in place when a document adds to it; reconciliation rows are found by
-- document and total index.
ALTER TABLE ledger_claim_groups ADD COLUMN kind TEXT;
ALTER TABLE ledger_claim_groups ADD COLUMN key TEXT;
UPDATE ledger_claim_groups
    SET kind = json_extract(json, '$.kind'), key = json_extract(json, '$.key');
CREATE INDEX ledger_claim_groups_by_key ON ledger_claim_groups (kind, key);
ALTER TABLE ledger_reconciliation ADD COLUMN total_index INTEGER;
UPDATE ledger_reconciliation SET total_index = json_extract(json, '$.total_index');
CREATE INDEX ledger_reconciliation_by_row ON ledger_reconciliation (document_id, total_index);
CREATE INDEX ledger_claims_by_document_kind ON ledger_claims (document_id, kind);
