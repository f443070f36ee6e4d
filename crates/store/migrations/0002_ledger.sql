-- Extraction output, the review log, the resolved ledger, API tokens and
-- full-text search. Extractions and ledger tables are derived data: they are
-- recomputed from documents, lexicons and the review log, and the ledger
-- tables are replaced in one transaction so readers never see half a ledger.

CREATE TABLE extractions (
    document_id     TEXT PRIMARY KEY NOT NULL REFERENCES documents (id),
    lexicon_version TEXT NOT NULL,
    json            TEXT NOT NULL
);

-- Append-only: human judgment is never rewritten, only superseded.
CREATE TABLE reviews (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    at     TEXT NOT NULL,
    author TEXT NOT NULL,
    reason TEXT NOT NULL,
    action TEXT NOT NULL
);
CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    sha256     TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    created_at TEXT NOT NULL
);

-- The resolved ledger. `position` keeps the ledger's own order (date, id).
CREATE TABLE ledger_incidents (
    position    INTEGER PRIMARY KEY NOT NULL,
    id          TEXT NOT NULL UNIQUE,
    first_day   TEXT,
    last_day    TEXT,
    region      TEXT NOT NULL,
    grade       TEXT NOT NULL,
    killed_min  INTEGER,
    killed_max  INTEGER,
    lead_killed INTEGER,
    -- Lower-cased id and report titles, for the listing's text filter.
    search_text TEXT NOT NULL,
    json        TEXT NOT NULL
);
CREATE INDEX ledger_incidents_by_first_day ON ledger_incidents (first_day);
CREATE INDEX ledger_incidents_by_region ON ledger_incidents (region, position);
CREATE INDEX ledger_incidents_by_grade ON ledger_incidents (grade, position);

CREATE TABLE ledger_incident_aliases (
    alias       TEXT PRIMARY KEY NOT NULL,
    incident_id TEXT NOT NULL
);

-- Which documents back which incidents, for the document viewer.
CREATE TABLE ledger_incident_documents (
    document_id TEXT NOT NULL,
    incident_id TEXT NOT NULL,
    PRIMARY KEY (document_id, incident_id)
) WITHOUT ROWID;

CREATE TABLE ledger_unplaced (
    position INTEGER PRIMARY KEY NOT NULL,
    json     TEXT NOT NULL
);

CREATE TABLE ledger_statements (
    position        INTEGER PRIMARY KEY NOT NULL,
    document_id     TEXT NOT NULL,
    statement_index INTEGER NOT NULL,
    speaker         TEXT NOT NULL,
    -- `,kind,kind,` so one kind is found with instr().
    kinds           TEXT NOT NULL,
    day             TEXT,
    quote           TEXT NOT NULL,
    json            TEXT NOT NULL
);
CREATE INDEX ledger_statements_by_document ON ledger_statements (document_id);
CREATE INDEX ledger_statements_by_speaker ON ledger_statements (speaker, position);
CREATE INDEX ledger_statements_by_day ON ledger_statements (day);

CREATE TABLE ledger_claim_groups (
    position INTEGER PRIMARY KEY NOT NULL,
    json     TEXT NOT NULL
);

CREATE TABLE ledger_claims (
    position    INTEGER PRIMARY KEY NOT NULL,
    document_id TEXT NOT NULL,
    kind        TEXT NOT NULL,
    speaker     TEXT NOT NULL,
    day         TEXT,
    claim_text  TEXT NOT NULL,
    json        TEXT NOT NULL
);
CREATE INDEX ledger_claims_by_document ON ledger_claims (document_id);
CREATE INDEX ledger_claims_by_kind ON ledger_claims (kind, position);
CREATE INDEX ledger_claims_by_speaker ON ledger_claims (speaker, position);

CREATE TABLE ledger_reconciliation (
    position    INTEGER PRIMARY KEY NOT NULL,
    document_id TEXT NOT NULL,
    as_of       TEXT,
    json        TEXT NOT NULL
);
CREATE INDEX ledger_reconciliation_by_document ON ledger_reconciliation (document_id);

-- What became of each review when the ledger was last built.
CREATE TABLE ledger_review_log (
    position INTEGER PRIMARY KEY NOT NULL,
    json     TEXT NOT NULL
);

-- Full text: documents share the documents table's rowid; statement quotes
-- share ledger_statements' position.
CREATE VIRTUAL TABLE documents_fts USING fts5 (title, text, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO documents_fts (rowid, title, text)
    SELECT rowid, COALESCE(title, ''), text FROM documents;
CREATE VIRTUAL TABLE statements_fts USING fts5 (quote, tokenize = 'unicode61 remove_diacritics 2');
