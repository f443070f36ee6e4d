-- Write accounts. A token is an account: its login name stays on the server,
-- its public name signs what it writes; it carries scopes (documents,
-- reviews), may expire and may be revoked. Tokens made before this get a
-- pseudonym, both scopes and no expiry, so nothing that worked stops.
ALTER TABLE api_tokens ADD COLUMN public_name TEXT NOT NULL DEFAULT '';
UPDATE api_tokens SET public_name = 'reviewer-' || id WHERE public_name = '';
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'documents,reviews';
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT;

-- The token behind each review (none for reviews made on the command line).
ALTER TABLE reviews ADD COLUMN token_id INTEGER REFERENCES api_tokens (id);

-- Every document posted (through the API: with the token that wrote it) and,
-- for an explicit replacement, the bytes the document had before.
CREATE TABLE document_writes (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id     TEXT NOT NULL,
    token_id        INTEGER REFERENCES api_tokens (id),
    sha256          TEXT NOT NULL,
    replaced_sha256 TEXT,
    at              TEXT NOT NULL
);
CREATE INDEX document_writes_by_document ON document_writes (document_id, seq);
CREATE TRIGGER document_writes_no_update BEFORE UPDATE ON document_writes
BEGIN SELECT RAISE(ABORT, 'document writes are append-only'); END;
CREATE TRIGGER document_writes_no_delete BEFORE DELETE ON document_writes
BEGIN SELECT RAISE(ABORT, 'document writes are append-only'); END;
